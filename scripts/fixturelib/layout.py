"""Page layout of truth tables for the fixture generators: wrapping, column widths,
row heights and pagination, producing drawing operations and truth boxes.

Needs python3-cairo only for text measurement (Measurer). Coordinates are PDF points,
origin top-left of the page as displayed.
"""

import unicodedata

import cairo

FONT = "WenQuanYi Micro Hei"
A4 = (595.28, 841.89)

# Vertical space per text line as a multiple of the font size: WenQuanYi's ascent
# plus descent is about 1.17 em; 1.35 leaves a visible gap between wrapped lines.
LINE_FACTOR = 1.35

# A cell text up to this many ems wide is not wrapped when columns are narrowed
# (labels such as 项目名称 and amounts such as `233, 875. 26` stay whole).
SHORT_EMS = 6.5


def is_wide(ch):
    """CJK ideographs, kana, full-width forms: characters a line may break around."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


class Measurer:
    """Text widths with the same font cairo draws with."""

    def __init__(self):
        self.surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, 8, 8)
        self.ctx = cairo.Context(self.surface)
        self.ctx.select_font_face(FONT)
        self.cache = {}

    def width(self, text, size):
        key = (text, size)
        w = self.cache.get(key)
        if w is None:
            self.ctx.set_font_size(size)
            w = self.ctx.text_extents(text).x_advance
            self.cache[key] = w
        return w


def atoms(text):
    """Split text into unbreakable atoms (a CJK character or a Latin word), each
    with a flag: whitespace came before it in the source text."""
    return _atoms_exact(text)


def _atoms_exact(text):
    out = []
    i = 0
    n = len(text)
    space = False
    while i < n:
        ch = text[i]
        if ch.isspace():
            space = True
            i += 1
            continue
        if is_wide(ch):
            out.append((ch, space))
            space = False
            i += 1
            continue
        j = i
        while j < n and not text[j].isspace() and not is_wide(text[j]):
            j += 1
        out.append((text[i:j], space))
        space = False
        i = j
    return out


def wrap(text, width, size, m):
    """Greedy line breaking of text into lines no wider than width (points)."""
    lines = []
    cur = ""
    for atom, space in atoms(text):
        cand = (cur + (" " if space and cur else "") + atom) if cur else atom
        if m.width(cand, size) <= width or not cur:
            if not cur and m.width(atom, size) > width and len(atom) > 1:
                # an over-long word: split it by characters
                piece = ""
                for ch in atom:
                    if piece and m.width(piece + ch, size) > width:
                        lines.append(piece)
                        piece = ""
                    piece += ch
                cur = piece
                continue
            cur = cand
        else:
            lines.append(cur)
            if m.width(atom, size) > width and len(atom) > 1:
                piece = ""
                for ch in atom:
                    if piece and m.width(piece + ch, size) > width:
                        lines.append(piece)
                        piece = ""
                    piece += ch
                cur = piece
            else:
                cur = atom
    if cur or not lines:
        lines.append(cur)
    return lines


class Style:
    """How a table is drawn. kind: ruled | unruled | hrules."""

    def __init__(self, kind="ruled", size=9.0, pad=3.0, gap=None, fill=True,
                 align=None, header_rows=0, max_col_share=0.6, bold_rows=()):
        self.kind = kind
        self.size = size
        self.pad = pad
        # unruled tables need a visible gutter between columns
        self.gap = gap if gap is not None else (6.0 if kind != "ruled" else pad)
        self.fill = fill
        self.align = align or {}
        self.header_rows = header_rows
        self.max_col_share = max_col_share
        self.bold_rows = bold_rows


class TableLayout:
    """Column widths, row heights and wrapped lines of one grid in a given width."""

    def __init__(self, grid, style, avail, m):
        self.grid = grid
        self.style = style
        self.m = m
        size = style.size
        hpad = style.gap
        ncols = grid.ncols
        nat = [2 * hpad + size for _ in range(ncols)]
        mins = [2 * hpad + size for _ in range(ncols)]
        for c in grid.cells:
            t = c["text"]
            w = m.width(t, size) + 2 * hpad
            longest = max([m.width(a, size) for a, _ in atoms(t)] or [0])
            # short texts (labels, amounts) stay on one line: up to SHORT_EMS ems
            mn = max(min(longest, 12 * size), min(w - 2 * hpad, SHORT_EMS * size)) + 2 * hpad
            if c["colspan"] == 1:
                k = c["col"] - 1
                nat[k] = max(nat[k], min(w, style.max_col_share * avail))
                mins[k] = max(mins[k], mn)
        for c in grid.cells:
            if c["colspan"] > 1:
                ks = range(c["col"] - 1, c["col"] - 1 + c["colspan"])
                t = c["text"]
                longest = max([m.width(a, size) for a, _ in atoms(t)] or [0])
                need = min(longest, 12 * size) + 2 * hpad
                have = sum(mins[k] for k in ks)
                if have < need:
                    for k in ks:
                        mins[k] += (need - have) / len(ks)
        smin, snat = sum(mins), sum(nat)
        if snat <= avail:
            widths = list(nat)
            if style.fill:
                extra = avail - snat
                widths = [w + extra * w / snat for w in widths]
        elif smin >= avail:
            widths = [w * avail / smin for w in mins]
        else:
            k = (avail - smin) / (snat - smin)
            widths = [mn + (n - mn) * k for mn, n in zip(mins, nat)]
        self.widths = widths
        self.xs = [0.0]
        for w in widths:
            self.xs.append(self.xs[-1] + w)
        self.line_h = size * LINE_FACTOR
        self.lines = {}
        heights = [0.0] * grid.nrows
        for c in grid.cells:
            cw = self.xs[c["col"] - 1 + c["colspan"]] - self.xs[c["col"] - 1]
            ls = wrap(c["text"], cw - 2 * hpad, size, m) if c["text"] else []
            self.lines[(c["row"], c["col"])] = ls
            c_h = max(1, len(ls)) * self.line_h + 2 * style.pad
            if c["rowspan"] == 1:
                heights[c["row"] - 1] = max(heights[c["row"] - 1], c_h)
        for c in sorted(grid.cells, key=lambda c: c["rowspan"]):
            if c["rowspan"] > 1:
                ls = self.lines[(c["row"], c["col"])]
                c_h = max(1, len(ls)) * self.line_h + 2 * style.pad
                r0 = c["row"] - 1
                have = sum(heights[r0:r0 + c["rowspan"]])
                if have < c_h:
                    heights[r0 + c["rowspan"] - 1] += c_h - have
        self.heights = heights
        self.width = self.xs[-1]

    def break_ok(self, r):
        """May a page break fall before 1-based row r (no cell spans across it)?"""
        for c in self.grid.cells:
            if c["row"] < r < c["row"] + c["rowspan"]:
                return False
        return True


class Page:
    def __init__(self, width, height, rotate=0):
        self.width = width
        self.height = height
        self.rotate = rotate
        self.ops = []


class Doc:
    """A flow of notes and tables onto pages; collects drawing ops and truth."""

    def __init__(self, m, page=A4, landscape=False, margin=42.0, rotate=0):
        self.m = m
        w, h = page
        if landscape:
            w, h = h, w
        self.pw, self.ph = w, h
        self.margin = margin
        self.rotate = rotate
        self.pages = []
        self.tables = []
        self.new_page()

    @property
    def avail(self):
        return self.pw - 2 * self.margin

    def new_page(self):
        self.pages.append(Page(self.pw, self.ph, self.rotate))
        self.y = self.margin

    def room(self):
        return self.ph - self.margin - self.y

    def note(self, text, size=11.0, gap=4.0):
        lines = wrap(text, self.avail, size, self.m)
        for ln in lines:
            h = size * LINE_FACTOR
            if self.room() < h:
                self.new_page()
            self.pages[-1].ops.append(("text", self.margin, self.y + size, ln, size))
            self.y += h
        self.y += gap

    def space(self, h):
        self.y += h

    def table(self, grid, style, x=None, width=None, kind=None, repeat=()):
        """Place a table; it may run over pages (repeat = 1-based header rows
        drawn again at the top of each continuation page)."""
        width = width if width is not None else self.avail
        x = x if x is not None else self.margin
        lay = TableLayout(grid, style, width, self.m)
        return self.place(lay, x, kind or style.kind, repeat)

    def place(self, lay, x, kind, repeat=()):
        grid = lay.grid
        style = lay.style
        n = grid.nrows
        heights = lay.heights
        # blocks of rows joined by vertical spans
        starts = [r for r in range(1, n + 1) if lay.break_ok(r)]
        blocks = []
        for i, s in enumerate(starts):
            e = starts[i + 1] - 1 if i + 1 < len(starts) else n
            blocks.append((s, e))
        rep = [r for r in repeat if r <= n]
        rep_h = sum(heights[r - 1] for r in rep)
        row_page = {}
        row_y = {}
        first_page = len(self.pages)
        placed_any = False
        segments = []  # (page_index, [rows], y_top)
        cur_rows = []
        seg_top = self.y

        def close_segment():
            if cur_rows:
                segments.append((len(self.pages) - 1, list(cur_rows), seg_top))

        for (s, e) in blocks:
            bh = sum(heights[s - 1:e])
            if bh > self.room() and (placed_any or self.y > self.margin + 1):
                fresh = self.ph - 2 * self.margin - (rep_h if placed_any else 0)
                if bh <= fresh or self.room() < heights[s - 1]:
                    close_segment()
                    cur_rows = []
                    self.new_page()
                    seg_top = self.y
                    if placed_any and rep and s not in rep:
                        for r in rep:
                            cur_rows.append(("repeat", r))
                            self.y += heights[r - 1]
            for r in range(s, e + 1):
                if heights[r - 1] > self.room() and cur_rows:
                    close_segment()
                    cur_rows = []
                    self.new_page()
                    seg_top = self.y
                    if rep and r not in rep:
                        for rr in rep:
                            cur_rows.append(("repeat", rr))
                            self.y += heights[rr - 1]
                row_page[r] = len(self.pages) - 1
                row_y[r] = self.y
                cur_rows.append(("row", r))
                self.y += heights[r - 1]
                placed_any = True
        close_segment()
        # drawing and truth
        cells = []
        for seg_page, rows, top in segments:
            page = self.pages[seg_page]
            ys = {}
            y = top
            order = []
            for what, r in rows:
                ys[(what, r)] = y
                order.append((what, r))
                y += heights[r - 1]
            seg_bottom = y
            real_rows = [r for what, r in rows if what == "row"]
            for c in grid.cells:
                r0, r1 = c["row"], c["row"] + c["rowspan"] - 1
                in_seg = [r for r in real_rows if r0 <= r <= r1]
                is_rep = ("repeat", r0) in ys and c["rowspan"] == 1
                if not in_seg and not is_rep:
                    continue
                if is_rep and not in_seg:
                    ytop = ys[("repeat", r0)]
                    ybot = ytop + heights[r0 - 1]
                else:
                    ytop = ys[("row", in_seg[0])]
                    ybot = ys[("row", in_seg[-1])] + heights[in_seg[-1] - 1]
                x0 = x + lay.xs[c["col"] - 1]
                x1 = x + lay.xs[c["col"] - 1 + c["colspan"]]
                first_frag = (not is_rep or in_seg) and in_seg and in_seg[0] == r0
                self._draw_cell(page, lay, c, x0, ytop, x1, ybot,
                                with_text=bool(first_frag or (is_rep and not in_seg)),
                                seg_bottom=seg_bottom, seg_top=top,
                                open_top=bool(in_seg) and in_seg[0] != r0,
                                open_bottom=bool(in_seg) and in_seg[-1] != r1)
                if first_frag:
                    cells.append(dict(c, page=seg_page + 1,
                                      box=[round(x0, 2), round(ytop, 2), round(x1, 2), round(ybot, 2)]))
            if style.kind == "hrules":
                x0, x1 = x, x + lay.width
                page.ops.append(("line", x0, top, x1, top, 0.8))
                page.ops.append(("line", x0, seg_bottom, x1, seg_bottom, 0.8))
                hdr = [r for what, r in rows if r <= style.header_rows]
                if hdr:
                    hy = max(ys.get(("row", r), ys.get(("repeat", r), top)) + heights[r - 1] for r in hdr)
                    page.ops.append(("line", x0, hy, x1, hy, 0.5))
        pages = sorted({c["page"] for c in cells})
        t = {"cells": sorted(cells, key=lambda c: (c["row"], c["col"])),
             "pages": [pages[0], pages[-1]], "kind": kind, "name": grid.name}
        self.tables.append(t)
        self.y += 10
        return t

    def _draw_cell(self, page, lay, c, x0, y0, x1, y1, with_text, seg_bottom, seg_top,
                   open_top, open_bottom):
        style = lay.style
        if style.kind == "ruled":
            lw = 0.6
            page.ops.append(("line", x0, y0, x1, y0, lw))
            page.ops.append(("line", x0, y1, x1, y1, lw))
            page.ops.append(("line", x0, y0, x0, y1, lw))
            page.ops.append(("line", x1, y0, x1, y1, lw))
        if not with_text:
            return
        lines = lay.lines[(c["row"], c["col"])]
        if not lines:
            return
        size = style.size
        lh = lay.line_h
        text_h = len(lines) * lh
        if style.kind == "ruled" and c["rowspan"] > 1:
            ty = y0 + max(style.pad, (y1 - y0 - text_h) / 2)
        elif style.kind == "ruled":
            ty = y0 + max(style.pad, (y1 - y0 - text_h) / 2)
        else:
            ty = y0 + style.pad
        align = style.align.get(c["col"], "left")
        if c["colspan"] == lay.grid.ncols and c["row"] <= 2 and style.kind == "ruled":
            align = "center"
        hpad = style.gap
        for i, ln in enumerate(lines):
            w = self.m.width(ln, size)
            if align == "right":
                tx = x1 - hpad - w
            elif align == "center":
                tx = (x0 + x1 - w) / 2
            else:
                tx = x0 + hpad
            base = ty + i * lh + size * 1.0
            page.ops.append(("text", tx, base, ln, size))


def draw_pdf(doc, path, title="formtab fixture"):
    """Render a Doc with cairo. Rotated pages are drawn on the unrotated media box;
    fix_rotate() then sets /Rotate in the page dictionaries."""
    first = doc.pages[0]
    w, h = (first.height, first.width) if first.rotate else (first.width, first.height)
    surf = cairo.PDFSurface(path, w, h)
    surf.set_metadata(cairo.PDFMetadata.TITLE, title)
    surf.set_metadata(cairo.PDFMetadata.CREATOR, "formtab scripts/make-fixtures")
    surf.set_metadata(cairo.PDFMetadata.CREATE_DATE, "2024-01-01T00:00:00Z")
    surf.set_metadata(cairo.PDFMetadata.MOD_DATE, "2024-01-01T00:00:00Z")
    ctx = cairo.Context(surf)
    ctx.select_font_face(FONT)
    for p in doc.pages:
        if p.rotate:
            surf.set_size(p.height, p.width)
        else:
            surf.set_size(p.width, p.height)
        ctx.save()
        if p.rotate == 90:
            # displayed (x, y) -> unrotated (u, v) = (y, H - x), H = displayed width
            ctx.transform(cairo.Matrix(0, -1, 1, 0, 0, p.width))
        ctx.set_source_rgb(0, 0, 0)
        for op in p.ops:
            if op[0] == "line":
                _, x0, y0, x1, y1, lw = op
                ctx.set_line_width(lw)
                ctx.move_to(x0, y0)
                ctx.line_to(x1, y1)
                ctx.stroke()
            elif op[0] == "text":
                _, x, y, s, size = op
                ctx.set_font_size(size)
                ctx.move_to(x, y)
                ctx.show_text(s)
        ctx.restore()
        ctx.show_page()
    surf.finish()


def fix_rotate(path, pages_to_rotate):
    """Insert `/Rotate 90` into the given (1-based) page dictionaries of a cairo PDF
    and rewrite the cross-reference table so every offset stays correct."""
    import re
    data = open(path, "rb").read()
    marks = [m.start() for m in re.finditer(rb"/Type /Page\b(?!s)", data)]
    for idx in sorted(pages_to_rotate, reverse=True):
        pos = marks[idx - 1] + len(b"/Type /Page")
        data = data[:pos] + b" /Rotate 90" + data[pos:]
    xref_at = data.rfind(b"\nxref\n") + 1
    body = data[:xref_at]
    offs = {}
    for mm in re.finditer(rb"(?m)^(\d+) 0 obj\b", body):
        offs[int(mm.group(1))] = mm.start()
    size = max(offs) + 1
    xref = [b"xref\n", b"0 %d\n" % size, b"0000000000 65535 f \n"]
    for i in range(1, size):
        if i in offs:
            xref.append(b"%010d 00000 n \n" % offs[i])
        else:
            xref.append(b"0000000000 00000 f \n")
    tail = data[xref_at:]
    tr = tail.find(b"trailer")
    sx = tail.find(b"startxref")
    trailer = tail[tr:sx]
    out = body + b"".join(xref) + trailer + b"startxref\n%d\n%%%%EOF\n" % xref_at
    open(path, "wb").write(out)
