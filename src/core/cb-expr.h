/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "cb-unit.h"

G_BEGIN_DECLS

/*
 * The expression language of measurement models and record templates:
 * numbers (1.5e-3), names (letters, digits, _ and subscript digits; any
 * script: θ, Δt, x₁), + - * / ^ (also the signs − × · ÷), unary minus and
 * plus, parentheses, the functions sqrt exp ln log10 sin cos tan asin acos
 * atan atan2 abs min max (min and max of two or more arguments), step
 * (1 for a positive argument, else 0: limits that change along a scale) and
 * the constant pi.  ^ is right-associative and binds tighter than unary minus
 * (-x^2 is -(x^2), 2^3^2 is 2^9).  Nesting is limited to 200 levels.
 *
 * Parse errors give the 1-based character position and what was expected:
 * "position 5: expected ')' but found 'x'".  Sub-expressions on constants are
 * folded when parsed; binding compiles the expression to a flat program.
 */

#define CB_EXPR_ERROR (cb_expr_error_quark ())

typedef enum
{
  CB_EXPR_ERROR_SYNTAX,           /* "position 5: expected ')' but found 'x'" */
  CB_EXPR_ERROR_UNKNOWN_NAME,     /* a name that was not bound, an unknown function */
  CB_EXPR_ERROR_ARITY,            /* wrong number of function arguments */
  CB_EXPR_ERROR_DIVISION_BY_ZERO, /* names the expression and the operands */
  CB_EXPR_ERROR_DOMAIN,           /* ln(-1), sqrt(-2), asin(2)…: names the function and value */
} CbExprError;

typedef struct _CbExpr CbExpr;

/* A value with its first (and optionally second) derivatives with respect to
 * n independent variables: forward-mode automatic differentiation. */
typedef struct
{
  guint   n;             /* number of independent variables */
  gboolean second_order; /* hess is allocated */
  double  value;
  double *grad;          /* n entries */
  double *hess;          /* n*n entries, row-major, symmetric; NULL unless second_order */
} CbJet;

GQuark              cb_expr_error_quark     (void);

CbExpr             *cb_expr_parse           (const char          *text,
                                             GError             **error);
CbExpr             *cb_expr_ref             (CbExpr              *expr);
void                cb_expr_unref           (CbExpr              *expr);
const char         *cb_expr_get_text        (const CbExpr        *expr);
/* Free names in order of first appearance, without duplicates; NULL-terminated. */
const char * const *cb_expr_get_names       (const CbExpr        *expr);
/* Resolves each free name to its index in @slots (n_slots names).  Fails with
 * CB_EXPR_ERROR_UNKNOWN_NAME naming the name and its position.  May be called
 * again to bind to other slots (not while another thread evaluates); a failed
 * bind keeps the previous binding.  An expression without names is bound
 * from the start. */
gboolean            cb_expr_bind            (CbExpr              *expr,
                                             const char * const  *slots,
                                             guint                n_slots,
                                             GError             **error);
gboolean            cb_expr_is_bound        (const CbExpr        *expr);
/* Operations a bound expression performs per evaluation, after constant
 * sub-expressions have been folded: 0 for "2*pi", 1 for "x*(2*pi/360)". */
guint               cb_expr_get_n_operations (const CbExpr      *expr);

/* Evaluation of a bound expression; @values is indexed like the bound slots,
 * and only the slots the expression uses are read.  A non-finite input or
 * result is an error (CB_EXPR_ERROR_DOMAIN) naming the operation and values:
 * "in 'ln(a-b)': ln of -2 is not defined (argument must be positive)".
 * All evaluation functions are thread-safe for a bound expression. */
gboolean            cb_expr_evaluate        (const CbExpr        *expr,
                                             const double        *values,
                                             double              *result,
                                             GError             **error);
/* Same, carrying derivatives: @args[i] is the jet of slot i (NULL for slots
 * the expression does not use); all jets share n with @result, and have a
 * Hessian when @result has one.  Exact forward-mode differentiation; min, max
 * and abs take the derivative of the active branch (abs(0) that of +x). */
gboolean            cb_expr_evaluate_jet    (const CbExpr        *expr,
                                             const CbJet * const *args,
                                             CbJet               *result,
                                             GError             **error);
/* Evaluates @n_samples samples at once (used by Monte Carlo): @columns[i] points
 * to n_samples values of slot i; @out receives n_samples results.  A domain
 * error in any sample fails the call with the message of the first failing
 * sample (in sample order), as cb_expr_evaluate() would give it; @out is then
 * partly written.  Results equal those of cb_expr_evaluate() to the bit. */
gboolean            cb_expr_evaluate_block  (const CbExpr        *expr,
                                             const double * const *columns,
                                             gsize                n_samples,
                                             double              *out,
                                             GError             **error);

CbJet              *cb_jet_new              (guint                n,
                                             gboolean             second_order);
void                cb_jet_free             (CbJet               *jet);
/* value = @value, gradient = unit vector @index, hessian = 0 */
void                cb_jet_set_variable     (CbJet               *jet,
                                             double               value,
                                             guint                index);
void                cb_jet_copy             (CbJet               *dest,
                                             const CbJet         *src);

/* The unit of a name, or NULL when the name has none (an error). */
typedef const CbUnit *(*CbExprUnitFunc) (const char *name,
                                         gpointer    user_data);

/* The unit of the expression's value from the units of its names: sums,
 * differences, min, max and atan2 need equal units, exp, ln, log10 and the
 * trigonometric functions a dimensionless argument, a power of a unit a
 * constant exponent.  Errors name the operation and both units: "in
 * 'p - t': MPa - °C: the units differ". */
CbUnit             *cb_expr_infer_unit      (const CbExpr        *expr,
                                             CbExprUnitFunc       func,
                                             gpointer             user_data,
                                             GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbExpr, cb_expr_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbJet, cb_jet_free)

G_END_DECLS
