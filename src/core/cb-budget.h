/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "cb-expr.h"

G_BEGIN_DECLS

/*
 * An uncertainty budget: named inputs with their standard uncertainties,
 * correlations, simultaneous observations, a measurement model of one or more
 * outputs written in the expression language (cb-expr.h), and the coverage
 * wanted.  Built from the JSON budget format (see README) so that the CLI, the
 * calculator page and record templates share one validation.
 *
 * Budget JSON:
 *   { "inputs": { NAME: INPUT, ... },
 *     "observations": { NAME: [x1, x2, ...], ... },   simultaneous, equal lengths
 *     "correlations": [[NAME, NAME, r], ...],
 *     "outputs": { NAME: "expression", ... },          may use earlier outputs
 *     "report": [NAME, ...],                           default: every output
 *     "coverage": {"p": 0.95} | {"k": 2},              default: {"k": 2}
 *     "second_order": false,
 *     "description": "..." }
 *   INPUT is one of
 *     {"value": x, "u": u}
 *     {"value": x, "U": U, "k": k}
 *     {"value": x, "U": U, "p": p, "dof": n}           u = U / t_p(n)
 *     {"value": x, "distribution": "rectangular"|"triangular"|"arcsine"
 *                   |"trapezoidal"|"curvilinear_trapezoidal"|"normal"|"t",
 *      "half_width": a, "beta": b (trapezoidal), "d": d (curvilinear),
 *      "u": s (normal, t: scale), "dof": n (t) }
 *     {"readings": [x1, x2, ...]}                      Type A
 *   and may add "dof": n | "inf" (default "inf"), or
 *   "reliability": r (relative reliability of u, dof = 1/(2 r^2)),
 *   "unit": "nm", "description": "...".
 *
 * Names are unique across inputs, observations and outputs, usable in
 * expressions, and kept in Unicode NFC.  Unknown fields are errors.  Each
 * observed input gets value = mean, u = s/sqrt(n), dof = n - 1, and its
 * correlations with the other observed inputs come from the data (GUM H.2).
 *
 * Every error names the place: "inputs.ls.U: expected a positive number".
 */

#define CB_BUDGET_ERROR (cb_budget_error_quark ())

typedef enum
{
  CB_BUDGET_ERROR_PARSE,        /* malformed JSON */
  CB_BUDGET_ERROR_INVALID,      /* wrong type, missing or out-of-range field */
  CB_BUDGET_ERROR_UNKNOWN_NAME, /* a name used but not defined */
  CB_BUDGET_ERROR_CYCLE,        /* outputs that depend on each other */
  CB_BUDGET_ERROR_EVALUATION,   /* the model cannot be evaluated at the estimates */
} CbBudgetError;

typedef enum
{
  CB_DISTRIBUTION_NORMAL,
  CB_DISTRIBUTION_RECTANGULAR,
  CB_DISTRIBUTION_TRIANGULAR,
  CB_DISTRIBUTION_ARCSINE,
  CB_DISTRIBUTION_TRAPEZOIDAL,
  CB_DISTRIBUTION_CURVILINEAR_TRAPEZOIDAL,
  CB_DISTRIBUTION_STUDENT_T,    /* scaled and shifted t: value, scale u, dof */
} CbDistribution;

typedef enum
{
  CB_INPUT_STANDARD,            /* u given */
  CB_INPUT_EXPANDED_K,          /* U and k given */
  CB_INPUT_EXPANDED_P,          /* U, p and dof given */
  CB_INPUT_DISTRIBUTION,        /* a distribution and its half-width */
  CB_INPUT_READINGS,            /* Type A from repeated readings */
  CB_INPUT_OBSERVED,            /* Type A from simultaneous observations */
} CbInputKind;

typedef struct
{
  char           *name;
  CbInputKind     kind;
  double          value;        /* best estimate (mean of readings) */
  double          u;            /* standard uncertainty, derived for every kind */
  double          dof;          /* INFINITY when infinite */
  /* As given, for the kinds that use them; NAN otherwise. */
  double          expanded;     /* U */
  double          k;
  double          p;
  CbDistribution  distribution; /* NORMAL for u and U kinds, STUDENT_T for Type A */
  double          half_width;   /* a */
  double          beta;         /* trapezoidal: ratio of top to base half-widths */
  double          d;            /* curvilinear trapezoidal: half-width uncertainty */
  GArray         *readings;     /* of double; READINGS and OBSERVED kinds, else NULL */
  char           *unit;         /* may be NULL */
  char           *description;  /* may be NULL */
  /* Scale of the t distribution for STUDENT_T (the "u" given for a "t"
   * distribution, s/sqrt(n) for Type A, JCGM 101 6.4.9); NAN otherwise. */
  double          scale;
} CbInput;

typedef struct _CbBudget CbBudget;

GQuark          cb_budget_error_quark          (void);

CbBudget       *cb_budget_new_from_json        (JsonNode        *root,
                                                GError         **error);
CbBudget       *cb_budget_new_from_data        (const char      *data,
                                                gssize           length,
                                                GError         **error);
CbBudget       *cb_budget_new_from_file        (const char      *path,
                                                GError         **error);
CbBudget       *cb_budget_ref                  (CbBudget        *budget);
void            cb_budget_unref                (CbBudget        *budget);
JsonNode       *cb_budget_to_json              (const CbBudget  *budget);

guint           cb_budget_get_n_inputs         (const CbBudget  *budget);
const CbInput  *cb_budget_get_input            (const CbBudget  *budget,
                                                guint            index);
/* -1 when not found */
int             cb_budget_find_input           (const CbBudget  *budget,
                                                const char      *name);
/* Correlation coefficient between inputs i and j (1 on the diagonal), from
 * "correlations" or computed from simultaneous observations. */
double          cb_budget_get_correlation      (const CbBudget  *budget,
                                                guint            i,
                                                guint            j);

guint           cb_budget_get_n_outputs        (const CbBudget  *budget);
const char     *cb_budget_get_output_name      (const CbBudget  *budget,
                                                guint            index);
/* Index into the outputs (in dependency order); -1 when not found */
int             cb_budget_find_output          (const CbBudget  *budget,
                                                const char      *name);
/* Whether output @index depends on input @input, directly or through the
 * earlier outputs it uses. */
gboolean        cb_budget_output_uses_input    (const CbBudget  *budget,
                                                guint            index,
                                                guint            input);
const char     *cb_budget_get_output_expression (const CbBudget *budget,
                                                guint            index);
/* The outputs to report, as indices into the outputs; in "report" order. */
const guint    *cb_budget_get_reported         (const CbBudget  *budget,
                                                guint           *n_reported);
/* Exactly one of p and k is set, the other is NAN. */
void            cb_budget_get_coverage         (const CbBudget  *budget,
                                                double          *p,
                                                double          *k);
gboolean        cb_budget_get_second_order     (const CbBudget  *budget);
/* The budget's "description", or NULL */
const char     *cb_budget_get_description      (const CbBudget  *budget);
/* Outputs' expressions, bound to slots: the inputs in order, then the outputs
 * in order (an output may use earlier outputs).  Outputs are listed in an
 * order where each only depends on earlier ones. */
const CbExpr   *cb_budget_get_output_expr      (const CbBudget  *budget,
                                                guint            index);

/* One line of an output's budget table (GUM 8.x, Table H.1 style). */
typedef struct
{
  const char *input;
  double      value;          /* x_i */
  double      u;              /* u(x_i) */
  double      sensitivity;    /* c_i = ∂f/∂x_i at the estimates */
  double      contribution;   /* u_i(y) = |c_i| u(x_i) */
  double      dof;            /* ν_i, INFINITY when infinite */
} CbBudgetRow;

typedef struct
{
  const char        *name;
  double             value;   /* y */
  double             u;       /* u_c(y) */
  double             dof;     /* ν_eff by Welch–Satterthwaite, truncated; INFINITY */
  double             k;
  double             p;       /* coverage probability (from k and dof when k given) */
  double             expanded;/* U = k u_c */
  const CbBudgetRow *rows;
  guint              n_rows;
} CbGumOutput;

typedef struct _CbGumResult CbGumResult;

/* The GUM law of propagation, u²(y) = Σ Σ c_i c_j r_ij u_i u_j, with the
 * sensitivities c_i by automatic differentiation.  Each output's rows list
 * the inputs it depends on.  ν_eff is Welch–Satterthwaite over the rows
 * (u_c⁴ / Σ u_i(y)⁴/ν_i), truncated to an integer and at least 1; INFINITY
 * when no row has finite dof.  Simultaneous observations, which come from
 * the same n sets, count as one term c_Gᵀ V_G c_G with n − 1 dof (GUM H.2.4).
 *
 * When the budget asks for second order, the covariances get the term
 * ½ tr(H_a V H_b V) (H the Hessians, V the inputs' covariance matrix): for
 * uncorrelated inputs this is the GUM 5.1.2 note's Σ_i Σ_j ½(∂²f/∂x_i∂x_j)²
 * u_i² u_j², and it stays exact for correlated normal inputs.  The note's
 * term with third derivatives, ∂f/∂x_i ∂³f/∂x_i∂x_j², is not included. */
CbGumResult       *cb_budget_evaluate_gum        (const CbBudget     *budget,
                                                  GError            **error);
void               cb_gum_result_free            (CbGumResult        *result);
guint              cb_gum_result_get_n_outputs   (const CbGumResult  *result);
/* Indexed like the budget's outputs.  The result keeps the budget alive. */
const CbGumOutput *cb_gum_result_get_output      (const CbGumResult  *result,
                                                  guint               index);
double             cb_gum_result_get_covariance  (const CbGumResult  *result,
                                                  guint               i,
                                                  guint               j);
double             cb_gum_result_get_correlation (const CbGumResult  *result,
                                                  guint               i,
                                                  guint               j);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbBudget, cb_budget_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbGumResult, cb_gum_result_free)

G_END_DECLS
