/* Form records from one table (see emit_form.h; rules in docs/records.md).
 *
 * A table is walked row by row. A row whose cells name two or more columns of
 * one mapping section is a header and starts that section; the rows after it
 * are data of the section until another header, or a row the section cannot
 * read (a funds row with an unknown label, an indicator row spanning the level
 * columns). Every other row is searched for field labels. */
#include "emit_form.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "emit_list.h"
#include "emit_rows.h"
#include "emit_value.h"
#include "ft_sha256.h"
#include "ft_utf8.h"

const char *const emit_field_columns[EMIT_FIELD_NCOLS] = {
    "record_id", "form_id", "source", "sha256", "page", "table", "row", "col",
    "subject", "name", "label", "value_text", "value_type", "value_number",
    "value_unit", "value_date"};

const char *const emit_indicator_columns[EMIT_INDICATOR_NCOLS] = {
    "record_id",   "form_id",     "source",       "sha256",      "page",
    "table",       "row",         "seq",          "subject",     "level1",
    "level2",      "level3",      "target_text",  "target_op",   "target_value",
    "target_unit", "actual_text", "actual_op",    "actual_value", "actual_unit",
    "weight_text", "weight",      "score_text",   "score",       "deviation"};

const char *const emit_budget_columns[EMIT_BUDGET_NCOLS] = {
    "record_id",        "form_id",         "source",          "sha256",
    "page",             "table",           "row",             "item_group",
    "item",             "quantity_text",   "quantity_value",  "quantity_unit",
    "unit_price_text",  "unit_price_value", "unit_price_unit", "amount_text",
    "amount_value",     "amount_unit",     "total_text",      "total_value",
    "total_unit",       "is_total"};

const char *const emit_formcell_columns[EMIT_FORMCELL_NCOLS] = {
    "record_id", "form_id", "source", "sha256", "page", "table", "row", "col",
    "rowspan", "colspan", "text", "conf", "flags"};

void emit_record_id(const char *kind, const char *sha256, unsigned page,
                    unsigned table, unsigned row, const char *key,
                    char hex[65])
{
    ft_sha256 c;
    char num[64];
    ft_sha256_init(&c);
    ft_sha256_update(&c, kind, strlen(kind));
    ft_sha256_update(&c, "\n", 1);
    ft_sha256_update(&c, sha256, strlen(sha256));
    int n = snprintf(num, sizeof num, "\n%u\n%u\n%u\n", page, table, row);
    ft_sha256_update(&c, num, (size_t)n);
    ft_sha256_update(&c, key, strlen(key));
    ft_sha256_hex(&c, hex);
}

/* ---- per-table context ---------------------------------------------------- */

/* A column range of the current section's header: role -> columns c0..c1. */
/* Bytes of a level label an indicator row may inherit from the row above
 * (levels are short labels: `可持续影响指标`, 21 bytes); a longer one is not
 * carried. */
#define EMIT_LEVEL_CARRY_LEN 256u

typedef struct {
    const emit_column_rule *rule;
    unsigned c0, c1;
    const char *label;  /* header text, trimmed (in the table, or in the
                           carry when the section continues a table) */
    size_t label_len;
    char unit[16];      /* currency the header states, "" for none */
} role_col;

/* An open section handed from one table to the next (emit_form.h). */
struct emit_form_carry {
    int open;
    const emit_section_rule *sec;
    role_col *roles;
    size_t nroles;
    ft_buf text;           /* role labels and the group, one after another */
    size_t group_off, group_len;
    int has_group;
    unsigned ncols;
    char form_id[80];
    unsigned seq;
    char lv[2][EMIT_LEVEL_CARRY_LEN]; /* levels of the last indicator */
    size_t lv_len[2];
    int has_lv;
};

typedef struct {
    const emit_map *m;
    const ft_doc *doc;
    const ft_table *t;
    const emit_form_out *o;
    ft_diag *d;
    emit_form_counts n;
    size_t *map;           /* slot map */
    ft_buf keys;           /* keys of all cells, one after another */
    size_t *key_off;       /* per cell: offset of its key in keys */
    size_t *key_len;
    unsigned char *used;   /* per cell: consumed as a value */
    const char **col_group;/* per column: field group of the last label */
    char form_id[80];
    unsigned seq;          /* indicators written in this form */
    const emit_section_rule *sec; /* current section or NULL */
    role_col *roles;       /* its header's roles */
    size_t nroles;
    const char *group;     /* budget: item header text (borrowed) */
    size_t group_len;
    int warned_limit;
    ft_buf scratch;        /* list normalisation */
    char lv[2][EMIT_LEVEL_CARRY_LEN]; /* levels 1-2 of the last indicator */
    size_t lv_len[2];
    int has_lv;            /* lv holds them */
} form_ctx;

static const ft_cell *cell_at(const form_ctx *x, unsigned r, unsigned c,
                              size_t *idx)
{
    size_t k = x->map[(size_t)(r - 1) * x->t->ncols + (c - 1)];
    if (idx)
        *idx = k;
    return &x->t->cells[k];
}

static const char *key_of(const form_ctx *x, size_t k, size_t *len)
{
    *len = x->key_len[k];
    return x->keys.data ? x->keys.data + x->key_off[k] : "";
}

static int match(form_ctx *x, const emit_pattern *p, size_t k, size_t *vs,
                 size_t *ve)
{
    size_t len;
    const char *key = key_of(x, k, &len);
    int rc = emit_pattern_match(x->m, p, key, len, vs, ve);
    if (rc < 0) {
        if (!x->warned_limit)
            ft_diag_warn(x->d, x->doc->source, x->t->cells[k].page,
                         "table %u: a mapping pattern hit its match limit on "
                         "row %u column %u; treated as no match",
                         x->t->id, x->t->cells[k].row, x->t->cells[k].col);
        x->warned_limit = 1;
        return 0;
    }
    return rc;
}

/* The offset in s[0..len) of the character that key byte kpos of emit_key(s)
 * comes from (len if kpos is the key's end). Walks the text: called only when
 * a label:value or value-group pattern matched, so no per-byte offset table
 * is kept for every cell. */
static size_t text_offset(const char *s, size_t len, size_t kpos)
{
    size_t i = 0, n = 0;
    while (i < len) {
        uint32_t cp;
        size_t k = ft_utf8_decode(s + i, len - i, &cp);
        if (k == 0)
            k = 1;
        if (!ft_is_space(cp)) {
            uint32_t a = ft_fullwidth_to_ascii(cp);
            char enc[4];
            size_t m = ft_utf8_encode(a ? a : cp, enc);
            if (n + m > kpos)
                return i;
            n += m;
        }
        i += k;
    }
    return len;
}

/* The text of a cell without leading and trailing white space. */
static const char *trimmed(const ft_cell *c, size_t *len)
{
    const char *s = c->text;
    size_t n = c->len;
    while (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' ||
                 s[n - 1] == '\r'))
        n--;
    *len = n;
    return s;
}

static unsigned row_page(const form_ctx *x, unsigned r)
{
    return emit_row_page(x->t, x->map, r);
}

static void rec_begin(emit_writer *w, const char *kind)
{
    emit_rec_begin(w);
    if (w->fmt != EMIT_CSV)
        emit_rec_cstr(w, "kind", kind);
}

static void provenance(form_ctx *x, emit_writer *w, const char *id,
                       unsigned page, unsigned row)
{
    emit_rec_cstr(w, "record_id", id);
    emit_rec_cstr(w, "form_id", x->form_id);
    emit_rec_cstr(w, "source", x->doc->source ? x->doc->source : "-");
    emit_rec_cstr(w, "sha256", x->doc->sha256);
    emit_rec_uint(w, "page", page);
    emit_rec_uint(w, "table", x->t->id);
    emit_rec_uint(w, "row", row);
}

/* A string or null: len 0 with s NULL is null, "" stays "". */
static void put_text(emit_writer *w, const char *key, const char *s,
                     size_t len)
{
    emit_rec_str(w, key, s, len);
}

/* ---- typed values ----------------------------------------------------------- */

typedef struct {
    char number[EMIT_MAX_NUMBER_LEN + 1];
    char unit[EMIT_MAX_UNIT_LEN + 1];
    char date[11];
    const char *op;
    int has_number, has_date;
} typed;

/* Type text as t. unit_hint: the currency a label states, used for an amount
 * printed without its own unit. */
static void type_value(emit_vtype t, const char *s, size_t len,
                       const char *unit_hint, typed *v)
{
    emit_quantity q;
    memset(v, 0, sizeof *v);
    if (len == 0)
        return;
    switch (t) {
    case EMIT_VT_TEXT:
    case EMIT_VT_LIST:
        return;
    case EMIT_VT_DATE:
        v->has_date = emit_parse_date(s, len, v->date);
        return;
    case EMIT_VT_TARGET:
        if (!emit_parse_target(s, len, &q))
            return;
        break;
    case EMIT_VT_PERCENT:
        if (!emit_parse_quantity(s, len, &q) || (q.unit[0] && strcmp(q.unit, "%")))
            return;
        strcpy(q.unit, "%");
        break;
    case EMIT_VT_NUMBER:
        if (!emit_parse_quantity(s, len, &q) || q.unit[0])
            return;
        break;
    case EMIT_VT_AMOUNT:
    case EMIT_VT_QUANTITY:
        if (!emit_parse_quantity(s, len, &q))
            return;
        if (!q.unit[0] && unit_hint)
            snprintf(q.unit, sizeof q.unit, "%s", unit_hint);
        break;
    }
    v->has_number = 1;
    memcpy(v->number, q.number, sizeof v->number);
    memcpy(v->unit, q.unit, sizeof v->unit);
    v->op = q.op;
}

/* The currency a row states on the left of column c (a block label such as
 * "项目资金 (元)" spanning the rows of the block), or the label itself. */
static int row_unit(form_ctx *x, unsigned r, unsigned c, char unit[16])
{
    size_t last = (size_t)-1;
    for (unsigned q = c; q >= 1; q--) {
        size_t k;
        const ft_cell *cell = cell_at(x, r, q, &k);
        if (k == last)
            continue;
        last = k;
        if (emit_label_unit(cell->text, cell->len, unit))
            return 1;
    }
    return 0;
}

/* ---- field records ---------------------------------------------------------- */

/* A field record. r == 0: a field read from note number col, on page
 * note_page. */
static void put_field_at(form_ctx *x, unsigned r, unsigned col,
                         unsigned note_page, const char *subject,
                         size_t subject_len, const char *name,
                         const char *label, size_t label_len,
                         const char *value, size_t vlen, emit_vtype type,
                         const char *unit_hint)
{
    emit_writer *w = x->o->field;
    x->n.nfield++;
    if (!w)
        return;
    char key[256], id[65];
    typed v;
    unsigned page = r ? row_page(x, r) : note_page;
    if (r)
        snprintf(key, sizeof key, "%s@%u", name, col);
    else
        snprintf(key, sizeof key, "%s@note%u", name, col);
    emit_record_id("field", x->doc->sha256, page, x->t->id, r, key, id);
    type_value(type, value, vlen, unit_hint, &v);
    rec_begin(w, "field");
    provenance(x, w, id, page, r);
    emit_rec_uint(w, "col", r ? col : 0);
    put_text(w, "subject", subject, subject_len);
    emit_rec_cstr(w, "name", name);
    put_text(w, "label", label, label_len);
    put_text(w, "value_text", value, vlen);
    emit_rec_cstr(w, "value_type", emit_vtype_name(type));
    emit_rec_num(w, "value_number", v.has_number ? v.number : NULL);
    emit_rec_cstr(w, "value_unit", v.has_number && v.unit[0] ? v.unit : NULL);
    emit_rec_cstr(w, "value_date", v.has_date ? v.date : NULL);
    emit_rec_end(w);
}

static void put_field(form_ctx *x, unsigned r, unsigned col,
                      const char *subject, size_t subject_len,
                      const char *name, const char *label, size_t label_len,
                      const char *value, size_t vlen, emit_vtype type,
                      const char *unit_hint)
{
    put_field_at(x, r, col, 0, subject, subject_len, name, label, label_len,
                 value, vlen, type, unit_hint);
}

/* Fields of the notes before the table: a title or year matching a rule
 * with a value group, or "label:value" in one line. */
static ft_err note_fields(form_ctx *x, const emit_note *notes, size_t n)
{
    ft_buf key;
    uint32_t *offs = NULL;
    ft_err rc = FT_OK;
    ft_buf_init(&key, EMIT_MAX_NOTE_LEN * 4);
    for (size_t k = 0; k < n; k++) {
        const emit_note *nt = &notes[k];
        ft_buf_reset(&key);
        free(offs);
        offs = malloc((nt->len + 1) * sizeof *offs);
        if (!offs) {
            rc = FT_NOMEM;
            goto out;
        }
        if ((rc = emit_key(nt->text, nt->len, &key, offs, nt->len)))
            goto out;
        const char *ks = ft_buf_str(&key);
        for (size_t i = 0; i < x->m->nfields; i++) {
            const emit_field_rule *f = &x->m->fields[i];
            size_t vs, ve, o0, o1;
            int hit;
            if (f->self) {
                hit = emit_pattern_match(x->m, f->label, ks, key.len, &vs, &ve);
            } else if (f->inline_ && !f->in_group) {
                hit = emit_pattern_match(x->m, f->inline_, ks, key.len, &vs,
                                         &ve);
            } else {
                continue;
            }
            if (hit <= 0 || ve <= vs)
                continue;
            o0 = offs[vs];
            o1 = ve < key.len ? offs[ve] : nt->len;
            const char *v = nt->text + o0;
            size_t vl = o1 - o0;
            while (vl && (*v == ' ' || *v == '\t')) {
                v++;
                vl--;
            }
            while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t'))
                vl--;
            size_t ll = f->self ? nt->len : (size_t)(v - nt->text);
            put_field_at(x, 0, (unsigned)(k + 1), nt->page, NULL, 0, f->name,
                         nt->text, ll, v, vl, f->type, NULL);
            break;
        }
    }
out:
    free(offs);
    ft_buf_cleanup(&key);
    return rc;
}

/* 1 if cell k is the label of some field rule. */
static int is_label(form_ctx *x, size_t k)
{
    for (size_t i = 0; i < x->m->nfields; i++)
        if (match(x, x->m->fields[i].label, k, NULL, NULL))
            return 1;
    return 0;
}

/* Try rule f on cell k (starting in row r). Returns 1 if it matched (and
 * wrote its record). */
static int try_field(form_ctx *x, const emit_field_rule *f, size_t k,
                     unsigned r)
{
    const ft_cell *c = &x->t->cells[k];
    size_t vs, ve, llen, vlen = 0;
    const char *label = trimmed(c, &llen);
    const char *value = NULL;
    char unit[16];
    const char *hint = NULL;

    if (match(x, f->label, k, &vs, &ve)) {
        if (f->self) {
            /* The value is a part of the label cell: map key offsets back to
             * the text. */
            if (ve > vs) {
                size_t o0 = text_offset(c->text, c->len, vs);
                size_t o1 = text_offset(c->text, c->len, ve);
                value = c->text + o0;
                vlen = o1 - o0;
            } else {
                value = label;
                vlen = llen;
            }
            while (vlen && (*value == ' ' || *value == '\t')) {
                value++;
                vlen--;
            }
            while (vlen && (value[vlen - 1] == ' ' || value[vlen - 1] == '\t'))
                vlen--;
        } else if (f->below) {
            if (c->rowspan != 1 || r + 1 > x->t->nrows)
                return 0;
            size_t vk;
            const ft_cell *b = cell_at(x, r + 1, c->col, &vk);
            if (b->row != r + 1 || b->col != c->col)
                return 0;
            x->used[vk] = 1;
            value = trimmed(b, &vlen);
        } else {
            unsigned nc = c->col + c->colspan;
            value = "";
            if (nc <= x->t->ncols) {
                size_t vk;
                const ft_cell *b = cell_at(x, r, nc, &vk);
                if (b->row == r && !is_label(x, vk)) {
                    x->used[vk] = 1;
                    value = trimmed(b, &vlen);
                }
            }
        }
    } else if (f->inline_ && match(x, f->inline_, k, &vs, &ve) && ve > vs) {
        size_t o0 = text_offset(c->text, c->len, vs);
        value = c->text + o0;
        vlen = c->len - o0;
        while (vlen && (value[vlen - 1] == ' ' || value[vlen - 1] == '\n'))
            vlen--;
        /* The label is the part before the value. */
        llen = (size_t)(value - label);
    } else {
        return 0;
    }
    if (f->type == EMIT_VT_AMOUNT) {
        if (emit_label_unit(label, llen, unit) || row_unit(x, r, c->col, unit))
            hint = unit;
    }
    put_field(x, r, c->col, NULL, 0, f->name, label, llen, value, vlen, f->type,
              hint);
    x->col_group[c->col - 1] = f->in_group ? f->in_group : f->name;
    return 1;
}

static void fields_row(form_ctx *x, unsigned r)
{
    size_t last = (size_t)-1;
    for (unsigned col = 1; col <= x->t->ncols; col++) {
        size_t k;
        const ft_cell *c = cell_at(x, r, col, &k);
        if (k == last || c->row != r || x->used[k] || x->key_len[k] == 0)
            continue;
        last = k;
        const char *g = x->col_group[c->col - 1];
        int done = 0;
        /* Rules of this column's group first, then rules without a group. */
        for (int pass = 0; pass < 2 && !done; pass++)
            for (size_t i = 0; i < x->m->nfields && !done; i++) {
                const emit_field_rule *f = &x->m->fields[i];
                if (pass == 0 && !(f->in_group && g && !strcmp(f->in_group, g)))
                    continue;
                if (pass == 1 && f->in_group)
                    continue;
                done = try_field(x, f, k, r);
            }
    }
}

/* ---- sections ------------------------------------------------------------------ */

/* If row r is a header of some section, make it current and return 1. */
static ft_err detect_header(form_ctx *x, unsigned r, int *found)
{
    const emit_section_rule *best = NULL;
    size_t best_n = 1; /* a header names at least two columns */
    *found = 0;
    role_col *tmp = NULL;
    ft_err rc = FT_OK;
    for (size_t s = 0; s < x->m->nsections; s++) {
        const emit_section_rule *sec = &x->m->sections[s];
        /* Distinct roles named: 其他资金 twice in a row is one role. */
        size_t n = 0;
        for (size_t i = 0; i < sec->ncols; i++) {
            size_t last = (size_t)-1;
            for (unsigned col = 1; col <= x->t->ncols; col++) {
                size_t k;
                const ft_cell *c = cell_at(x, r, col, &k);
                if (k == last || c->row != r || x->key_len[k] == 0)
                    continue;
                last = k;
                if (match(x, sec->cols[i].pat, k, NULL, NULL)) {
                    n++;
                    break;
                }
            }
        }
        if (n > best_n) {
            best = sec;
            best_n = n;
        }
    }
    if (!best)
        return FT_OK;
    tmp = calloc(best->ncols, sizeof *tmp);
    if (!tmp)
        return FT_NOMEM;
    size_t nroles = 0, last = (size_t)-1;
    for (unsigned col = 1; col <= x->t->ncols; col++) {
        size_t k;
        const ft_cell *c = cell_at(x, r, col, &k);
        if (k == last || c->row != r || x->key_len[k] == 0)
            continue;
        last = k;
        for (size_t i = 0; i < best->ncols; i++) {
            const emit_column_rule *cr = &best->cols[i];
            int dup = 0;
            for (size_t j = 0; j < nroles; j++)
                dup |= tmp[j].rule == cr;
            if (dup || !match(x, cr->pat, k, NULL, NULL))
                continue;
            tmp[nroles].rule = cr;
            tmp[nroles].c0 = c->col;
            tmp[nroles].c1 = c->col + c->colspan - 1;
            tmp[nroles].label = trimmed(c, &tmp[nroles].label_len);
            if (!emit_label_unit(c->text, c->len, tmp[nroles].unit))
                tmp[nroles].unit[0] = '\0';
            nroles++;
            break;
        }
    }
    free(x->roles);
    x->roles = tmp;
    x->nroles = nroles;
    x->sec = best;
    x->has_lv = 0;
    x->group = NULL;
    x->group_len = 0;
    for (size_t j = 0; j < nroles; j++)
        if (!strcmp(tmp[j].rule->role, "item")) {
            x->group = tmp[j].label;
            x->group_len = tmp[j].label_len;
        }
    *found = 1;
    return rc;
}

static const role_col *role(const form_ctx *x, const char *name)
{
    for (size_t j = 0; j < x->nroles; j++)
        if (!strcmp(x->roles[j].rule->role, name))
            return &x->roles[j];
    return NULL;
}

/* The cell under a role's first column in row r, or NULL. fill: merged cells
 * from above count (level labels); else only a cell starting in row r, and
 * not one an earlier role of this row took (used_by lists those). */
static const ft_cell *role_cell(form_ctx *x, const role_col *rc, unsigned r,
                                int fill, size_t *idx)
{
    if (!rc)
        return NULL;
    size_t k;
    const ft_cell *c = cell_at(x, r, rc->c0, &k);
    if (!fill && c->row != r)
        return NULL;
    if (idx)
        *idx = k;
    return c;
}

static void put_num_pair(emit_writer *w, const char *tkey, const char *nkey,
                         const ft_cell *c, emit_vtype t)
{
    size_t len = 0;
    const char *s = c ? trimmed(c, &len) : NULL;
    typed v;
    type_value(t, s, len, NULL, &v);
    put_text(w, tkey, s, len);
    emit_rec_num(w, nkey, v.has_number ? v.number : NULL);
}

static void put_target(emit_writer *w, const char *prefix, const ft_cell *c,
                       const char *s, size_t len)
{
    char k[32];
    typed v;
    if (c)
        s = trimmed(c, &len);
    type_value(EMIT_VT_TARGET, s, len, NULL, &v);
    snprintf(k, sizeof k, "%s_text", prefix);
    put_text(w, k, s, len);
    snprintf(k, sizeof k, "%s_op", prefix);
    emit_rec_cstr(w, k, v.has_number ? v.op : NULL);
    snprintf(k, sizeof k, "%s_value", prefix);
    emit_rec_num(w, k, v.has_number ? v.number : NULL);
    snprintf(k, sizeof k, "%s_unit", prefix);
    emit_rec_cstr(w, k, v.has_number && v.unit[0] ? v.unit : NULL);
}

/* An indicator record. Levels and target given as text (the list path) or
 * cells (the table path). */
typedef struct {
    const char *subject;
    size_t subject_len;
    const char *lv[3];
    size_t lv_len[3];
    const ft_cell *target, *actual, *weight, *score, *deviation;
    const char *target_s; /* used when target is NULL */
    size_t target_len;
} ind_rec;

static void put_indicator(form_ctx *x, unsigned r, const ind_rec *in)
{
    emit_writer *w = x->o->indicator;
    x->n.nindicator++;
    x->seq++;
    if (!w)
        return;
    char key[32], id[65];
    unsigned page = row_page(x, r);
    snprintf(key, sizeof key, "%u", x->seq);
    emit_record_id("indicator", x->doc->sha256, page, x->t->id, r, key, id);
    rec_begin(w, "indicator");
    provenance(x, w, id, page, r);
    emit_rec_uint(w, "seq", x->seq);
    put_text(w, "subject", in->subject, in->subject_len);
    put_text(w, "level1", in->lv[0], in->lv_len[0]);
    put_text(w, "level2", in->lv[1], in->lv_len[1]);
    put_text(w, "level3", in->lv[2], in->lv_len[2]);
    put_target(w, "target", in->target, in->target_s, in->target_len);
    put_target(w, "actual", in->actual, NULL, 0);
    put_num_pair(w, "weight_text", "weight", in->weight, EMIT_VT_NUMBER);
    put_num_pair(w, "score_text", "score", in->score, EMIT_VT_NUMBER);
    size_t dl = 0;
    const char *ds = in->deviation ? trimmed(in->deviation, &dl) : NULL;
    put_text(w, "deviation", ds, dl);
    emit_rec_end(w);
}

static int cell_empty(const form_ctx *x, const ft_cell *c, size_t k)
{
    (void)c;
    return x->key_len[k] == 0;
}

/* Indicator section row. Returns 1 if the row was read, 0 if it ends the
 * section. */
static int indicator_row(form_ctx *x, unsigned r)
{
    static const char *const lv[3] = {"level1", "level2", "level3"};
    ind_rec in;
    memset(&in, 0, sizeof in);
    size_t lk[3] = {(size_t)-1, (size_t)-1, (size_t)-1};
    for (int i = 0; i < 3; i++) {
        const ft_cell *c = role_cell(x, role(x, lv[i]), r, 1, &lk[i]);
        if (c)
            in.lv[i] = trimmed(c, &in.lv_len[i]);
    }
    /* A total row: its first cell, or its first level cell, matches the
     * section's total pattern (seed 001 prints 总分 once across the level
     * columns, and once in column 1 followed by empty cells). Otherwise a
     * row whose first level cell also covers the third level is no
     * indicator but something after the section. */
    size_t fk = lk[0] != (size_t)-1 ? lk[0] : lk[1];
    size_t tk = (size_t)-1;
    if (x->sec->total) {
        size_t c1;
        const ft_cell *first = cell_at(x, r, 1, &c1);
        if (first->row == r && match(x, x->sec->total, c1, NULL, NULL))
            tk = c1;
        else if (fk != (size_t)-1 && x->t->cells[fk].row == r &&
                 match(x, x->sec->total, fk, NULL, NULL))
            tk = fk;
    }
    if (tk == (size_t)-1 && fk != (size_t)-1 && fk == lk[2])
        return 0;
    if (tk != (size_t)-1) {
        fk = tk;
        for (size_t j = 0; j < x->nroles; j++) {
            const role_col *rc = &x->roles[j];
            if (!strncmp(rc->rule->role, "level", 5))
                continue;
            size_t k;
            const ft_cell *c = role_cell(x, rc, r, 0, &k);
            if (!c || k == fk || k == lk[0] || k == lk[1] || k == lk[2] ||
                cell_empty(x, c, k))
                continue;
            char name[160];
            size_t vlen, llen;
            const char *v = trimmed(c, &vlen);
            const char *l = trimmed(&x->t->cells[fk], &llen);
            snprintf(name, sizeof name, "%s_%s", x->sec->total_name,
                     rc->rule->role);
            put_field(x, r, c->col, NULL, 0, name, l, llen, v, vlen,
                      rc->rule->type, NULL);
        }
        x->sec = NULL; /* the total closes the section */
        return 1;
    }
    size_t taken[8];
    size_t ntaken = 0;
    const ft_cell **slot[] = {&in.target, &in.actual, &in.weight, &in.score,
                              &in.deviation};
    static const char *const names[] = {"target", "actual", "weight", "score",
                                        "deviation"};
    for (int i = 0; i < 5; i++) {
        size_t k;
        const ft_cell *c = role_cell(x, role(x, names[i]), r, 0, &k);
        if (!c)
            continue;
        int dup = k == lk[0] || k == lk[1] || k == lk[2];
        for (size_t j = 0; j < ntaken; j++)
            dup |= taken[j] == k;
        if (dup)
            continue;
        taken[ntaken++] = k;
        *slot[i] = c;
    }
    int has3 = in.lv_len[2] > 0;
    int hast = in.target && in.target->len > 0;
    int hasa = in.actual && in.actual->len > 0;
    if (!has3 && !hast && !hasa)
        return 1; /* an empty or label-only row inside the section */
    /* An empty first or second level under an indicator continues the level
     * of the indicator above: a merged label whose borders the finder did not
     * see (fixtures seed000-hrules, seed003-forms-unruled draw no vertical
     * rules). The second level only while the first stays the same: a level
     * never spans into another group of the level above it. */
    if (x->has_lv && role(x, lv[0])) {
        if (in.lv_len[0] == 0) {
            in.lv[0] = x->lv[0];
            in.lv_len[0] = x->lv_len[0];
        }
        if (in.lv_len[1] == 0 && role(x, lv[1]) && in.lv_len[0] == x->lv_len[0] &&
            !memcmp(in.lv[0], x->lv[0], x->lv_len[0])) {
            in.lv[1] = x->lv[1];
            in.lv_len[1] = x->lv_len[1];
        }
    }
    put_indicator(x, r, &in);
    x->has_lv = in.lv_len[0] < EMIT_LEVEL_CARRY_LEN &&
                in.lv_len[1] < EMIT_LEVEL_CARRY_LEN;
    if (x->has_lv)
        for (int i = 0; i < 2; i++) {
            /* in.lv may point into x->lv itself */
            memmove(x->lv[i], in.lv[i] ? in.lv[i] : "", in.lv_len[i]);
            x->lv_len[i] = in.lv_len[i];
        }
    return 1;
}

/* Funds section row. */
static int funds_row(form_ctx *x, unsigned r)
{
    unsigned minc = x->t->ncols + 1;
    for (size_t j = 0; j < x->nroles; j++)
        if (x->roles[j].c0 < minc)
            minc = x->roles[j].c0;
    const emit_row_rule *rr = NULL;
    size_t lk = (size_t)-1;
    for (unsigned col = minc - 1; col >= 1 && !rr; col--) {
        size_t k;
        const ft_cell *c = cell_at(x, r, col, &k);
        if (c->row != r || x->key_len[k] == 0)
            continue;
        for (size_t i = 0; i < x->sec->nrows && !rr; i++)
            if (match(x, x->sec->rows[i].pat, k, NULL, NULL)) {
                rr = &x->sec->rows[i];
                lk = k;
            }
        if (!rr)
            return 0; /* a label the section does not know: it ended */
    }
    if (!rr)
        return 0;
    char unit[16];
    const char *hint = row_unit(x, r, minc - 1, unit) ? unit : NULL;
    size_t llen;
    const char *l = trimmed(&x->t->cells[lk], &llen);
    for (size_t j = 0; j < x->nroles; j++) {
        const role_col *rc = &x->roles[j];
        size_t k;
        const ft_cell *c = role_cell(x, rc, r, 0, &k);
        if (!c || k == lk || cell_empty(x, c, k))
            continue;
        char name[200];
        const char *uh = rc->unit[0] ? rc->unit : hint;
        size_t vlen;
        const char *v = trimmed(c, &vlen);
        snprintf(name, sizeof name, "%s_%s_%s", x->sec->name, rr->name,
                 rc->rule->role);
        put_field(x, r, c->col, NULL, 0, name, l, llen, v, vlen, rc->rule->type,
                  uh);
    }
    return 1;
}

static void put_qty(emit_writer *w, const char *prefix, const ft_cell *c,
                    const char *hint)
{
    char k[32];
    size_t len = 0;
    const char *s = c ? trimmed(c, &len) : NULL;
    typed v;
    type_value(EMIT_VT_QUANTITY, s, len, hint, &v);
    snprintf(k, sizeof k, "%s_text", prefix);
    put_text(w, k, s, len);
    snprintf(k, sizeof k, "%s_value", prefix);
    emit_rec_num(w, k, v.has_number ? v.number : NULL);
    snprintf(k, sizeof k, "%s_unit", prefix);
    emit_rec_cstr(w, k, v.has_number && v.unit[0] ? v.unit : NULL);
}

/* Budget section row. */
static int budget_row(form_ctx *x, unsigned r)
{
    static const char *const names[] = {"item", "quantity", "unit_price",
                                        "amount", "total"};
    const ft_cell *cells[5] = {NULL};
    size_t taken[5];
    size_t ntaken = 0;
    int any = 0;
    for (int i = 0; i < 5; i++) {
        size_t k;
        const ft_cell *c = role_cell(x, role(x, names[i]), r, 0, &k);
        if (!c)
            continue;
        int dup = 0;
        for (size_t j = 0; j < ntaken; j++)
            dup |= taken[j] == k;
        if (dup)
            continue;
        taken[ntaken++] = k;
        cells[i] = c;
        any |= x->key_len[k] > 0;
    }
    if (!any)
        return 1;
    emit_writer *w = x->o->budget;
    x->n.nbudget++;
    if (!w)
        return 1;
    char id[65];
    const char *hints[5] = {NULL};
    for (int i = 1; i < 5; i++) {
        const role_col *rc = role(x, names[i]);
        if (rc && rc->unit[0])
            hints[i] = rc->unit;
    }
    int is_total = 0;
    if (x->sec->total) {
        size_t k = (size_t)-1;
        if (cells[0])
            k = (size_t)(cells[0] - x->t->cells);
        else
            cell_at(x, r, 1, &k);
        is_total = match(x, x->sec->total, k, NULL, NULL);
    }
    unsigned page = row_page(x, r);
    emit_record_id("budget_item", x->doc->sha256, page, x->t->id, r, "0", id);
    rec_begin(w, "budget_item");
    provenance(x, w, id, page, r);
    put_text(w, "item_group", x->group, x->group_len);
    size_t il = 0;
    const char *is = cells[0] ? trimmed(cells[0], &il) : NULL;
    put_text(w, "item", is, il);
    put_qty(w, "quantity", cells[1], hints[1]);
    put_qty(w, "unit_price", cells[2], hints[2]);
    put_qty(w, "amount", cells[3], hints[3]);
    put_qty(w, "total", cells[4], hints[4]);
    emit_rec_bool(w, "is_total", is_total);
    emit_rec_end(w);
    return 1;
}

/* Rows section row: one subject, its values as fields, lists as indicators. */
static ft_err rows_row(form_ctx *x, unsigned r)
{
    const role_col *sr = role(x, "subject");
    size_t sk = (size_t)-1, slen = 0;
    const ft_cell *sc = role_cell(x, sr, r, 0, &sk);
    const char *subj = sc ? trimmed(sc, &slen) : NULL;
    for (size_t j = 0; j < x->nroles; j++) {
        const role_col *rc = &x->roles[j];
        if (rc == sr)
            continue;
        size_t k;
        const ft_cell *c = role_cell(x, rc, r, 0, &k);
        if (!c || k == sk || cell_empty(x, c, k))
            continue;
        size_t vlen, hl = rc->label_len;
        const char *v = trimmed(c, &vlen);
        const char *hs = rc->label;
        if (rc->rule->type == EMIT_VT_LIST) {
            emit_list_item items[EMIT_MAX_LIST_ITEMS];
            ft_err err;
            size_t n = emit_list_split(c->text, c->len, &x->scratch, items,
                                       EMIT_MAX_LIST_ITEMS, &err);
            if (err)
                return err;
            if (n > EMIT_MAX_LIST_ITEMS) {
                ft_diag_warn(x->d, x->doc->source, c->page,
                             "table %u row %u: %zu indicators in one cell, "
                             "the first %u kept",
                             x->t->id, r, n, EMIT_MAX_LIST_ITEMS);
                n = EMIT_MAX_LIST_ITEMS;
            }
            if (n == 0) {
                put_field(x, r, c->col, subj, slen, rc->rule->role, hs, hl, v,
                          vlen, EMIT_VT_TEXT, NULL);
                continue;
            }
            const char *t = ft_buf_str(&x->scratch);
            for (size_t i = 0; i < n; i++) {
                ind_rec in;
                memset(&in, 0, sizeof in);
                in.subject = subj;
                in.subject_len = slen;
                in.lv[0] = t + items[i].type_off;
                in.lv_len[0] = items[i].type_len;
                in.lv[2] = t + items[i].name_off;
                in.lv_len[2] = items[i].name_len;
                if (items[i].target_len) {
                    in.target_s = t + items[i].target_off;
                    in.target_len = items[i].target_len;
                }
                put_indicator(x, r, &in);
            }
            continue;
        }
        put_field(x, r, c->col, subj, slen, rc->rule->role, hs, hl, v, vlen,
                  rc->rule->type, rc->unit[0] ? rc->unit : NULL);
    }
    return FT_OK;
}

/* ---- sections running on into the next table ---------------------------- */

ft_err emit_form_carry_new(emit_form_carry **out)
{
    emit_form_carry *c = calloc(1, sizeof *c);
    *out = c;
    if (!c)
        return FT_NOMEM;
    ft_buf_init(&c->text, FT_MAX_CELL_LEN * 2);
    return FT_OK;
}

void emit_form_carry_free(emit_form_carry *c)
{
    if (!c)
        return;
    free(c->roles);
    ft_buf_cleanup(&c->text);
    free(c);
}

/* Remember the section open at the end of table x (or that none is). */
static ft_err carry_save(form_ctx *x, emit_form_carry *c)
{
    ft_err rc;
    c->open = 0;
    free(c->roles);
    c->roles = NULL;
    c->nroles = 0;
    ft_buf_reset(&c->text);
    if (!x->sec || !x->nroles)
        return FT_OK;
    size_t *off = calloc(x->nroles, sizeof *off);
    c->roles = calloc(x->nroles, sizeof *c->roles);
    if (!off || !c->roles) {
        free(off);
        return FT_NOMEM;
    }
    for (size_t j = 0; j < x->nroles; j++) {
        c->roles[j] = x->roles[j];
        off[j] = c->text.len;
        if ((rc = ft_buf_append(&c->text, x->roles[j].label,
                                x->roles[j].label_len))) {
            free(off);
            return rc;
        }
    }
    c->has_group = x->group != NULL;
    c->group_off = c->text.len;
    c->group_len = x->group_len;
    if (x->group && (rc = ft_buf_append(&c->text, x->group, x->group_len))) {
        free(off);
        return rc;
    }
    const char *base = ft_buf_str(&c->text);
    for (size_t j = 0; j < x->nroles; j++)
        c->roles[j].label = base + off[j];
    free(off);
    c->nroles = x->nroles;
    c->sec = x->sec;
    c->ncols = x->t->ncols;
    memcpy(c->form_id, x->form_id, sizeof c->form_id);
    c->seq = x->seq;
    memcpy(c->lv, x->lv, sizeof c->lv);
    memcpy(c->lv_len, x->lv_len, sizeof c->lv_len);
    c->has_lv = x->has_lv;
    c->open = 1;
    return FT_OK;
}

/* Continue the carried section in table x if x looks like the rest of the
 * previous table: same width, no notes printed between, and a first row that
 * is neither a header nor a field label (a table split at a page break or at
 * a blank line of a text dump: seed 003's budget tables). */
static ft_err carry_resume(form_ctx *x, const emit_form_carry *c,
                           size_t nnotes)
{
    if (!c || !c->open || nnotes || c->ncols != x->t->ncols)
        return FT_OK;
    int hdr = 0;
    ft_err rc = detect_header(x, 1, &hdr);
    if (rc || hdr) {
        x->sec = NULL; /* row 1 reads it again as a header */
        return rc;
    }
    size_t last = (size_t)-1;
    for (unsigned col = 1; col <= x->t->ncols; col++) {
        size_t k;
        const ft_cell *cell = cell_at(x, 1, col, &k);
        if (k != last && cell->row == 1 && x->key_len[k] && is_label(x, k))
            return FT_OK;
        last = k;
    }
    role_col *roles = calloc(c->nroles, sizeof *roles);
    if (!roles)
        return FT_NOMEM;
    memcpy(roles, c->roles, c->nroles * sizeof *roles);
    free(x->roles);
    x->roles = roles;
    x->nroles = c->nroles;
    x->sec = c->sec;
    x->group = c->has_group ? ft_buf_str(&c->text) + c->group_off : NULL;
    x->group_len = c->group_len;
    memcpy(x->form_id, c->form_id, sizeof x->form_id);
    x->seq = c->seq;
    memcpy(x->lv, c->lv, sizeof x->lv);
    memcpy(x->lv_len, c->lv_len, sizeof x->lv_len);
    x->has_lv = c->has_lv;
    ft_diag_debug(x->d, "table %u continues section %s of the table before",
                  x->t->id, x->sec->name);
    return FT_OK;
}

/* ---- the table --------------------------------------------------------------- */

static void write_cells(form_ctx *x)
{
    emit_writer *w = x->o->cell;
    char conf[32], id[65], key[16];
    for (size_t k = 0; k < x->t->ncells; k++) {
        const ft_cell *c = &x->t->cells[k];
        x->n.ncell++;
        if (!w)
            continue;
        snprintf(key, sizeof key, "%u", c->col);
        emit_record_id("cell", x->doc->sha256, c->page, x->t->id, c->row, key,
                       id);
        rec_begin(w, "cell");
        provenance(x, w, id, c->page, c->row);
        emit_rec_uint(w, "col", c->col);
        emit_rec_uint(w, "rowspan", c->rowspan);
        emit_rec_uint(w, "colspan", c->colspan);
        emit_rec_str(w, "text", c->text, c->len);
        emit_rec_num(w, "conf", emit_conf_str(c->conf, conf, sizeof conf));
        emit_rec_uint(w, "flags", c->flags);
        emit_rec_end(w);
    }
}

ft_err emit_form_table(const emit_map *m, const ft_doc *doc, const ft_table *t,
                       const emit_note *notes, size_t nnotes,
                       emit_form_carry *carry, const emit_form_out *o,
                       ft_diag *d, emit_form_counts *counts)
{
    form_ctx x;
    ft_err rc;
    char msg[200];
    memset(&x, 0, sizeof x);
    x.m = m;
    x.doc = doc;
    x.t = t;
    x.o = o;
    x.d = d;
    ft_buf_init(&x.keys, FT_MAX_PAGE_TEXT_LEN);
    ft_buf_init(&x.scratch, FT_MAX_CELL_LEN * 2);
    snprintf(x.form_id, sizeof x.form_id, "%s-t%u", doc->sha256, t->id);

    if ((rc = ft_table_slot_map(t, &x.map, msg, sizeof msg)))
        goto out;
    x.key_off = calloc(t->ncells ? t->ncells : 1, sizeof *x.key_off);
    x.key_len = calloc(t->ncells ? t->ncells : 1, sizeof *x.key_len);
    x.used = calloc(t->ncells ? t->ncells : 1, 1);
    x.col_group = calloc(t->ncols, sizeof *x.col_group);
    if (!x.key_off || !x.key_len || !x.used || !x.col_group) {
        rc = FT_NOMEM;
        goto out;
    }
    for (size_t k = 0; k < t->ncells; k++) {
        x.key_off[k] = x.keys.len;
        if ((rc = emit_key(t->cells[k].text, t->cells[k].len, &x.keys, NULL,
                           0)))
            goto out;
        x.key_len[k] = x.keys.len - x.key_off[k];
    }

    if ((rc = note_fields(&x, notes, nnotes)))
        goto out;
    unsigned long nnote_fields = x.n.nfield;
    if ((rc = carry_resume(&x, carry, nnotes)))
        goto out;
    for (unsigned r = 1; r <= t->nrows; r++) {
        int hdr;
        if ((rc = detect_header(&x, r, &hdr)))
            goto out;
        if (hdr) {
            ft_diag_debug(d, "table %u row %u: header of section %s, %zu roles",
                          t->id, r, x.sec->name, x.nroles);
            continue;
        }
        if (x.sec) {
            int in = 1;
            switch (x.sec->kind) {
            case EMIT_SEC_INDICATOR:
                in = indicator_row(&x, r);
                break;
            case EMIT_SEC_FUNDS:
                in = funds_row(&x, r);
                break;
            case EMIT_SEC_BUDGET:
                in = budget_row(&x, r);
                break;
            case EMIT_SEC_ROWS:
                if ((rc = rows_row(&x, r)))
                    goto out;
                break;
            }
            if (in)
                continue;
            x.sec = NULL;
        }
        fields_row(&x, r);
    }
    if (x.n.nfield - nnote_fields + x.n.nindicator + x.n.nbudget == 0) {
        ft_diag_warn(d, doc->source, t->page_first,
                     "table %u: no form fields, indicators or budget items "
                     "found; its cells are written as 'cell' records",
                     t->id);
        write_cells(&x);
    }
    if (carry && (rc = carry_save(&x, carry)))
        goto out;
    if (counts) {
        counts->nfield += x.n.nfield;
        counts->nindicator += x.n.nindicator;
        counts->nbudget += x.n.nbudget;
        counts->ncell += x.n.ncell;
    }
out:
    free(x.map);
    free(x.key_off);
    free(x.key_len);
    free(x.used);
    free(x.col_group);
    free(x.roles);
    ft_buf_cleanup(&x.keys);
    ft_buf_cleanup(&x.scratch);
    return rc;
}
