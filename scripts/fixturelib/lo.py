"""LibreOffice fixtures: write a truth layout as a flat-XML spreadsheet (.fods) with
real merged cells, borders and wrapping, one sheet per table, and convert it to PDF
with `soffice --headless` (each run with its own UserInstallation).

Truth boxes are predicted from the column widths and row heights written into the
.fods (LibreOffice prints rows whole, fills a page top-down and repeats the
table:table-header-rows); fixture_check() in make-fixtures verifies them against
`pdftotext -bbox` of the result.
"""

import os
import shutil
import subprocess
import tempfile
from xml.sax.saxutils import escape as xesc

from layout import A4, FONT, TableLayout, wrap

MARGIN = 36.0  # points, all four sides


def _pt(v):
    return "%.2fpt" % v


def build_fods(tables, landscape=False):
    """tables: list of (grid, style, notes, repeat). Returns (fods_text, truth_tables)."""
    from layout import Measurer
    m = Measurer()
    pw, ph = A4
    if landscape:
        pw, ph = ph, pw
    avail_w = pw - 2 * MARGIN
    # LibreOffice fills the printable area (page minus margins) with whole rows;
    # verified against pdftotext -bbox by make-fixtures --verify.
    avail_h = ph - 2 * MARGIN
    styles = []
    body = []
    truth = []
    page_base = 0
    for ti, (grid, style, notes, repeat) in enumerate(tables):
        # narrower wrap width than the column: LibreOffice's own line breaking then
        # needs no more lines than we reserved height for
        lay = TableLayout(grid, style, avail_w - 1.0, m)
        ncols = grid.ncols
        note_h = 11 * 1.5
        rows_h = [note_h] * len(notes) + [h + 3.0 for h in lay.heights]
        nnotes = len(notes)
        # pagination like LibreOffice: whole rows, header rows repeated
        rep = [r for r in repeat]
        rep_h = sum(rows_h[nnotes + r - 1] for r in rep)
        page = 1
        y = 0.0
        row_page, row_y = {}, {}
        for i, h in enumerate(rows_h):
            srow = i + 1  # sheet row
            if y + h > avail_h and y > 0:
                page += 1
                y = rep_h if (rep and srow - nnotes > max(rep)) else 0.0
            row_page[srow] = page
            row_y[srow] = y
            y += h
        cells = []
        for c in grid.cells:
            s0 = nnotes + c["row"]
            s1 = s0 + c["rowspan"] - 1
            p = row_page[s0]
            last = s0
            for s in range(s0, s1 + 1):
                if row_page[s] == p:
                    last = s
            y0 = MARGIN + row_y[s0]
            y1 = MARGIN + row_y[last] + rows_h[last - 1]
            x0 = MARGIN + lay.xs[c["col"] - 1]
            x1 = MARGIN + lay.xs[c["col"] - 1 + c["colspan"]]
            cells.append(dict(c, page=page_base + p,
                              box=[round(x0, 2), round(y0, 2), round(x1, 2), round(y1, 2)]))
        pages = sorted({c["page"] for c in cells})
        truth.append({"cells": cells, "pages": [pages[0], pages[-1]], "kind": "ruled",
                      "name": grid.name})
        page_base += page
        # styles for this sheet
        for k, w in enumerate(lay.widths):
            styles.append('<style:style style:name="co%d_%d" style:family="table-column">'
                          '<style:table-column-properties style:column-width="%s"/></style:style>'
                          % (ti, k, _pt(w)))
        for i, h in enumerate(rows_h):
            styles.append('<style:style style:name="ro%d_%d" style:family="table-row">'
                          '<style:table-row-properties style:row-height="%s" '
                          'style:use-optimal-row-height="false"/></style:style>' % (ti, i, _pt(h)))
        owner = grid.cell_at()
        xml = ['<table:table table:name="T%d" table:style-name="ta1">' % (ti + 1)]
        for k in range(ncols):
            xml.append('<table:table-column table:style-name="co%d_%d" '
                       'table:default-cell-style-name="Default"/>' % (ti, k))
        for i, n in enumerate(notes):
            xml.append('<table:table-row table:style-name="ro%d_%d"><table:table-cell '
                       'table:style-name="note" office:value-type="string"><text:p>%s</text:p>'
                       '</table:table-cell><table:table-cell table:number-columns-repeated="%d"/>'
                       '</table:table-row>' % (ti, i, xesc(n), max(1, ncols - 1)))
        for r in range(1, grid.nrows + 1):
            if rep and r == min(rep):
                xml.append("<table:table-header-rows>")
            xml.append('<table:table-row table:style-name="ro%d_%d">' % (ti, nnotes + r - 1))
            for k in range(1, ncols + 1):
                c = owner[(r, k)]
                if c["row"] == r and c["col"] == k:
                    attrs = ""
                    if c["rowspan"] > 1:
                        attrs += ' table:number-rows-spanned="%d"' % c["rowspan"]
                    if c["colspan"] > 1:
                        attrs += ' table:number-columns-spanned="%d"' % c["colspan"]
                    if c["text"]:
                        xml.append('<table:table-cell table:style-name="cell"%s '
                                   'office:value-type="string" calcext:value-type="string">'
                                   '<text:p>%s</text:p></table:table-cell>'
                                   % (attrs, xesc(c["text"])))
                    else:
                        xml.append('<table:table-cell table:style-name="cell"%s/>' % attrs)
                else:
                    xml.append('<table:covered-table-cell table:style-name="cell"/>')
            xml.append("</table:table-row>")
            if rep and r == max(rep):
                xml.append("</table:table-header-rows>")
        xml.append("</table:table>")
        body.append("\n".join(xml))
    size = tables[0][1].size if tables else 9
    fods = FODS.format(pw=_pt(pw), ph=_pt(ph), margin=_pt(MARGIN), font=FONT,
                       size="%.1fpt" % size, orient="landscape" if landscape else "portrait",
                       styles="\n".join(styles), body="\n".join(body))
    return fods, truth


FODS = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
 xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:meta><meta:generator>formtab scripts/make-fixtures</meta:generator>
<meta:creation-date>2024-01-01T00:00:00</meta:creation-date></office:meta>
<office:font-face-decls>
<style:font-face style:name="{font}" svg:font-family="'{font}'" style:font-pitch="variable"/>
</office:font-face-decls>
<office:styles>
<style:style style:name="Default" style:family="table-cell">
<style:text-properties style:font-name="{font}" style:font-name-asian="{font}" style:font-name-complex="{font}"
 fo:font-size="{size}" style:font-size-asian="{size}" style:font-size-complex="{size}"/>
</style:style>
</office:styles>
<office:automatic-styles>
<style:page-layout style:name="pm1">
<style:page-layout-properties fo:page-width="{pw}" fo:page-height="{ph}" style:print-orientation="{orient}"
 fo:margin-top="{margin}" fo:margin-bottom="{margin}" fo:margin-left="{margin}" fo:margin-right="{margin}"
 style:print="grid-off charts drawings objects zero-values" style:scale-to="100%" style:print-page-order="ttb"
 style:table-centering="none"/>
<style:header-style/><style:footer-style/>
</style:page-layout>
<style:style style:name="ta1" style:family="table" style:master-page-name="mp1">
<style:table-properties table:display="true"/></style:style>
<style:style style:name="cell" style:family="table-cell" style:parent-style-name="Default">
<style:table-cell-properties fo:border="0.5pt solid #000000" fo:wrap-option="wrap" style:vertical-align="middle"
 fo:padding="2pt" style:shrink-to-fit="false"/>
<style:paragraph-properties fo:text-align="start"/>
</style:style>
<style:style style:name="note" style:family="table-cell" style:parent-style-name="Default">
<style:text-properties fo:font-size="11pt" style:font-size-asian="11pt"/>
</style:style>
{styles}
</office:automatic-styles>
<office:master-styles>
<style:master-page style:name="mp1" style:page-layout-name="pm1">
<style:header style:display="false"/><style:footer style:display="false"/>
</style:master-page>
</office:master-styles>
<office:body><office:spreadsheet>
{body}
</office:spreadsheet></office:body></office:document>
"""


def convert(fods_path, out_pdf):
    """soffice --headless --convert-to pdf with a private UserInstallation."""
    prof = tempfile.mkdtemp(prefix="lo-formtab-")
    outdir = tempfile.mkdtemp(prefix="lo-out-")
    try:
        cmd = ["soffice", "--headless", "--norestore",
               "-env:UserInstallation=file://" + prof,
               "--convert-to", "pdf", "--outdir", outdir, fods_path]
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
        produced = os.path.join(outdir, os.path.splitext(os.path.basename(fods_path))[0] + ".pdf")
        if r.returncode != 0 or not os.path.exists(produced):
            raise RuntimeError("soffice failed: %s %s" % (r.stdout.decode(errors="replace"),
                                                        r.stderr.decode(errors="replace")))
        shutil.move(produced, out_pdf)
    finally:
        shutil.rmtree(prof, ignore_errors=True)
        shutil.rmtree(outdir, ignore_errors=True)
