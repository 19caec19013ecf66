/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * A record template: the approved form of an electronic original record
 * (原始记录), as a versioned JSON document.  It names what the record shows
 * (header fields bound to the order, sample and task), what is chosen or
 * typed (parameters, standards, environment, readings at each test point),
 * and how everything else is computed (columns by expressions, uncertainty
 * budgets per point, rounding per column, conformity checks, the
 * conclusion).  A template is immutable once loaded; records keep the one
 * they were made from (cb-record.h), so a later version changes nothing in
 * them.
 *
 * {
 *   "format": "calbench-template/1",
 *   "id": "jjg52-2013-pressure-gauge",        letters, digits, . _ -
 *   "title": "…", "title_en": "…",
 *   "kind": "verification" | "calibration" | "test",
 *   "method": {"code": "JJG 52-2013", "name": "…"},
 *   "notes": ["assumptions and sources", …],
 *   "header": [{"name", "label", "label_en", "bind": BIND}],
 *   "parameters": [{"name", "label", "label_en", "unit", "default", "choices": [...]}],
 *   "standards": [{"role", "label", "label_en",
 *                  "attributes": [{"name", "label", "unit", "field"}]}],
 *   "environment": [{"name", "label", "unit", "min", "max", "action": "warn" | "block"}],
 *   "derived": [ITEM],                       record-level, from the inputs above
 *   "blocks": [BLOCK],
 *   "results": [ITEM],                       record-level, may use the blocks' summaries
 *   "checks": [CHECK],                       record-level
 *   "conclusion": {"pass": "合格（{class}级）", "fail": "不合格", "undetermined": "待定"},
 *   "certificate": {"header": [names], "tables": [{"block", "columns": [names]}],
 *                   "results": [names], "statements": ["…"]}
 * }
 * BLOCK = {"name", "title", "title_en",
 *          "nominal": {"name", "label", "unit"},
 *          "attributes": [{"name", "label", "unit"}],        fixed per point
 *          "points": [{"nominal": "10", ATTRIBUTE: "…"}, …]
 *                  | {"span": EXPR, "offset": EXPR, "percents": [0, 25, …]},
 *          "readings": [{"name", "label", "unit", "repeats": n}],
 *          "columns": [ITEM],
 *          "uncertainty": {"components": [{"name", "label", "unit", "u": EXPR,
 *                                           "c": EXPR, "dof": n}],
 *                          "combined": {"name", "label"},
 *                          "expanded": {"name", "label", "k": 2, "round": ROUND}},
 *          "checks": [CHECK],
 *          "summary": [{"name", "label", "unit", "aggregate": "max" | "min" | "mean"
 *                       | "maxabs" | "sum", "of": name}
 *                    | {"name", "label", "fit": {"x": name, "y": name}}],
 *          "procedure": {"source": {"role", "quantity": QUANTITY, "value": name,
 *                                   "frequency": name, "scale": x},
 *                        "acquire": [{"reading": name, "role", "quantity": QUANTITY,
 *                                     "range": name, "scale": x}],
 *                        "settle": {"count": 3, "tolerance": x, "timeout": seconds}}}
 * QUANTITY = dcv | acv | dci | aci | resistance | pressure | temperature | humidity
 *         (a procedure's names are the block's nominal value or attributes;
 *          "scale" converts the record's unit to the instrument's: value × scale)
 * ITEM  = {"name", "label", "label_en", "unit", "expr": EXPR, "round": ROUND}
 * ROUND = {"interval": EXPR} | {"significant": n} | {"align": name}
 * CHECK = {"name", "label", "error": EXPR, "limit": EXPR, "U": EXPR, "k": 2,
 *          "rule": "simple" | "guarded-acceptance" | "guarded-rejection"
 *                  | "jjf1094" | "ilac-g8", "guard": 1}
 * BIND  = customer | customer_address | instrument | model | serial | maker
 *         | range | accuracy | method | receipt_date | measure_date | performer
 *         | certificate_number | sample_label
 *
 * In a block a reading with n repeats is used by its name for the mean and
 * adds NAME_n, NAME_s (experimental standard deviation), NAME_min, NAME_max
 * and NAME_range.  A fit summary adds NAME_a (intercept), NAME_b (slope),
 * NAME_ua, NAME_ub and NAME_s.  The uncertainty's combined value is the root
 * sum of squares of |c|·u; the expanded one is k times it.
 *
 * Every unit is declared ("1" when dimensionless) and every expression's unit
 * must match its declaration (cb-unit.h).  Errors name the place:
 * "blocks[0].columns[2] (error_up): unknown name 'pp' at position 1".
 */

#define CB_TEMPLATE_ERROR (cb_template_error_quark ())

typedef enum
{
  CB_TEMPLATE_ERROR_PARSE,        /* not JSON */
  CB_TEMPLATE_ERROR_INVALID,      /* a wrong type, a missing or unknown field */
  CB_TEMPLATE_ERROR_UNKNOWN_NAME, /* an expression or reference names nothing defined */
  CB_TEMPLATE_ERROR_DUPLICATE,    /* two things of the same name in one scope */
  CB_TEMPLATE_ERROR_CYCLE,        /* columns that depend on each other */
  CB_TEMPLATE_ERROR_UNIT,         /* a missing unit, or units that do not agree */
} CbTemplateError;

typedef enum
{
  CB_TEMPLATE_KIND_VERIFICATION,
  CB_TEMPLATE_KIND_CALIBRATION,
  CB_TEMPLATE_KIND_TEST,
} CbTemplateKind;

typedef struct _CbTemplate CbTemplate;

GQuark          cb_template_error_quark     (void);

CbTemplate     *cb_template_new_from_json   (JsonNode          *root,
                                             GError           **error);
CbTemplate     *cb_template_new_from_data   (const char        *data,
                                             gssize             length,
                                             GError           **error);
CbTemplate     *cb_template_new_from_file   (const char        *path,
                                             GError           **error);
CbTemplate     *cb_template_ref             (CbTemplate        *tmpl);
void            cb_template_unref           (CbTemplate        *tmpl);

/* The document as loaded (a copy), and as pretty-printed text for export. */
JsonNode       *cb_template_to_json         (const CbTemplate  *tmpl);
char           *cb_template_to_data         (const CbTemplate  *tmpl);
/* SHA-256 of the canonical text: records name the exact template they use. */
const char     *cb_template_get_digest      (const CbTemplate  *tmpl);

const char     *cb_template_get_id          (const CbTemplate  *tmpl);
const char     *cb_template_get_title       (const CbTemplate  *tmpl);
CbTemplateKind  cb_template_get_kind        (const CbTemplate  *tmpl);
const char     *cb_template_get_method_code (const CbTemplate  *tmpl);
const char     *cb_template_get_method_name (const CbTemplate  *tmpl);

guint           cb_template_get_n_blocks    (const CbTemplate  *tmpl);
const char     *cb_template_get_block_name  (const CbTemplate  *tmpl,
                                             guint              block);
const char     *cb_template_get_block_title (const CbTemplate  *tmpl,
                                             guint              block);
/* Standards roles, parameters and header fields in template order. */
guint           cb_template_get_n_standards (const CbTemplate  *tmpl);
const char     *cb_template_get_standard_role (const CbTemplate *tmpl,
                                             guint              index);
/* "多功能校准源": what the role is called on the record. */
const char     *cb_template_get_standard_label (const CbTemplate *tmpl,
                                             guint              index);
guint           cb_template_get_n_parameters (const CbTemplate *tmpl);
const char     *cb_template_get_parameter_name (const CbTemplate *tmpl,
                                             guint              index);
guint           cb_template_get_n_header    (const CbTemplate  *tmpl);
const char     *cb_template_get_header_name (const CbTemplate  *tmpl,
                                             guint              index);
const char     *cb_template_get_header_bind (const CbTemplate  *tmpl,
                                             guint              index);
const char     *cb_template_get_header_label (const CbTemplate *tmpl,
                                             guint              index);

/* The ids of the templates shipped with Calbench (data/templates), sorted. */
char          **cb_template_list_shipped    (void);
CbTemplate     *cb_template_new_shipped     (const char        *id,
                                             GError           **error);

/* Everything a record takes from outside its points: parameters, the chosen
 * standards' attributes and the environment, in template order. */
guint           cb_template_get_n_inputs    (const CbTemplate  *tmpl);
const char     *cb_template_get_input       (const CbTemplate  *tmpl,
                                             guint              index,
                                             const char       **label,
                                             const char       **unit);
/* Whether input @index is a condition of the environment (its name is the
 * logged quantity: temperature, humidity, pressure), with the method's
 * limits as written (NULL when open) and whether leaving them blocks. */
gboolean        cb_template_get_input_limits (const CbTemplate *tmpl,
                                             guint              index,
                                             const char       **min,
                                             const char       **max,
                                             gboolean          *blocking);

/* -1 when there is no such block. */
int             cb_template_find_block      (const CbTemplate  *tmpl,
                                             const char        *name);
/* The block's "procedure" object as validated, or NULL: how instruments fill
 * its readings (see above).  Owned by the template. */
JsonObject     *cb_template_get_block_procedure (const CbTemplate *tmpl,
                                             guint              block);
const char     *cb_template_get_block_nominal (const CbTemplate *tmpl,
                                             guint              block);
guint           cb_template_get_n_readings  (const CbTemplate  *tmpl,
                                             guint              block);
const char     *cb_template_get_reading     (const CbTemplate  *tmpl,
                                             guint              block,
                                             guint              index,
                                             guint             *repeats,
                                             const char       **unit);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbTemplate, cb_template_unref)

G_END_DECLS
