/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <math.h>
#include <string.h>

#include "core/cb-expr.h"

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */

static void
assert_close (double      got,
              double      want,
              double      rel,
              const char *what)
{
  double tol = rel * MAX (1.0, fabs (want));

  if (!(fabs (got - want) <= tol))
    g_error ("%s: got %.17g, expected %.17g (tolerance %g)", what, got, want, tol);
}

static CbExpr *
parse_and_bind (const char         *text,
                const char * const *slots,
                guint               n_slots)
{
  g_autoptr(GError) error = NULL;
  CbExpr *expr = cb_expr_parse (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (expr);
  g_assert_true (cb_expr_bind (expr, slots, n_slots, &error));
  g_assert_no_error (error);
  return expr;
}

static double
eval1 (const char *text,
       double      x)
{
  static const char * const slots[] = { "x" };
  g_autoptr(CbExpr) expr = parse_and_bind (text, slots, 1);
  g_autoptr(GError) error = NULL;
  double result = NAN;

  g_assert_true (cb_expr_evaluate (expr, &x, &result, &error));
  g_assert_no_error (error);
  return result;
}

/* Evaluates @text over variables named by @slots at @values with jets of
 * n = n_slots independent variables (slot i is variable i). */
static CbJet *
eval_jet (const char         *text,
          const char * const *slots,
          guint               n_slots,
          const double       *values,
          gboolean            second_order)
{
  g_autoptr(CbExpr) expr = parse_and_bind (text, slots, n_slots);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_jet_free);
  CbJet *result = cb_jet_new (n_slots, second_order);

  for (guint i = 0; i < n_slots; i++)
    {
      CbJet *jet = cb_jet_new (n_slots, second_order);

      cb_jet_set_variable (jet, values[i], i);
      g_ptr_array_add (args, jet);
    }
  if (!cb_expr_evaluate_jet (expr, (const CbJet * const *) args->pdata, result, &error))
    g_error ("%s: %s", text, error->message);
  return result;
}

static void
assert_error (GError     *error,
              int         code,
              const char *message)
{
  g_assert_nonnull (error);
  if (!g_error_matches (error, CB_EXPR_ERROR, code) || g_strcmp0 (error->message, message) != 0)
    g_error ("expected error %d \"%s\", got %d \"%s\"", code, message, error->code, error->message);
}

/* ------------------------------------------------------------------------ */
/* Parsing and plain values                                                  */

static void
test_precedence (void)
{
  static const struct
  {
    const char *text;
    double      value;
  } cases[] = {
    { "2^3^2", 512 },              /* right-associative */
    { "(2^3)^2", 64 },
    { "-2^2", -4 },                /* ^ binds tighter than unary minus */
    { "(-2)^2", 4 },
    { "2*-3", -6 },
    { "2^-1", 0.5 },
    { "2^-2^2", 1.0 / 16 },        /* 2^(-(2^2)) */
    { "-3^2 + 10", 1 },
    { "2+3*4", 14 },
    { "(2+3)*4", 20 },
    { "1-2-3", -4 },               /* left-associative */
    { "8/4/2", 1 },
    { "2*3/4", 1.5 },
    { "2 × 3 ÷ 4", 1.5 },
    { "5 − 3", 2 },
    { "−2^2", -4 },
    { "2·3", 6 },
    { "+2", 2 },
    { "--2", 2 },
    { "1 - -1", 2 },
    { "1e3", 1000 },
    { "1.5E-2", 0.015 },
    { "2.5e+1", 25 },
    { ".5", 0.5 },
    { "5.", 5 },
    { "007", 7 },
    { "pi", G_PI },
    { "2*pi", 2 * G_PI },
    { "  \t 1 +\n 2 ", 3 },
    { "1\xc2\xa0+ 2", 3 },           /* U+00A0 no-break space */
    { "min(3, 1, 2)", 1 },
    { "max(3, 1, 2, 7, -1)", 7 },
    { "min(2, 2)", 2 },
    { "atan2(1, 1)", G_PI / 4 },
    { "atan2(0, -1)", G_PI },
    { "abs(-3) + sqrt(16)", 7 },
    { "ln(exp(2))", 2 },
    { "log10(1000)", 3 },
    { "1e-300*1e-10", 1e-310 },    /* subnormal results are kept */
    { "4.9e-324", 4.9e-324 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CbExpr) expr = cb_expr_parse (cases[i].text, &error);
      double v = NAN;

      g_assert_no_error (error);
      g_assert_true (cb_expr_is_bound (expr));
      g_assert_true (cb_expr_evaluate (expr, NULL, &v, &error));
      g_assert_no_error (error);
      assert_close (v, cases[i].value, 1e-15, cases[i].text);
    }

  /* Precedence with names, where nothing can be folded. */
  assert_close (eval1 ("-x^2", 3), -9, 0, "-x^2");
  assert_close (eval1 ("x^x^x", 2), 16, 0, "x^x^x");
  assert_close (eval1 ("2*-x", 3), -6, 0, "2*-x");
  assert_close (eval1 ("x-x-x", 3), -3, 0, "x-x-x");
  assert_close (eval1 ("x/x/x", 4), 0.25, 0, "x/x/x");
}

static void
test_folding (void)
{
  static const char * const slots[] = { "x" };
  static const struct
  {
    const char *text;
    guint       n_operations;
  } cases[] = {
    { "2*pi", 0 },
    { "(1+2)*3^2 - sqrt(4)", 0 },
    { "x*(2*pi/360)", 1 },
    { "x*2*pi", 2 },               /* (x*2)*pi: no reassociation */
    { "-x", 1 },
    { "min(1, 2, x)", 1 },
    { "1/0", 1 },                  /* a failing operation is kept to report at evaluation */
    { "ln(-1) + 2", 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CbExpr) expr = parse_and_bind (cases[i].text, slots, 1);

      g_assert_cmpuint (cb_expr_get_n_operations (expr), ==, cases[i].n_operations);
    }
}

static void
test_names (void)
{
  static const char * const slots[] = { "c", "a", "b" };
  g_autoptr(GError) error = NULL;
  g_autoptr(CbExpr) expr = cb_expr_parse ("b*a + b - c + pi + a_1 * 0", &error);
  const char * const *names;
  double v;

  g_assert_no_error (error);
  names = cb_expr_get_names (expr);
  g_assert_cmpstr (names[0], ==, "b");
  g_assert_cmpstr (names[1], ==, "a");
  g_assert_cmpstr (names[2], ==, "c");
  g_assert_cmpstr (names[3], ==, "a_1");
  g_assert_null (names[4]);
  g_assert_false (cb_expr_is_bound (expr));
  g_assert_cmpstr (cb_expr_get_text (expr), ==, "b*a + b - c + pi + a_1 * 0");

  /* Unknown name: position of its first use and the names that exist. */
  g_assert_false (cb_expr_bind (expr, slots, 3, &error));
  assert_error (error, CB_EXPR_ERROR_UNKNOWN_NAME,
                "position 20: unknown name 'a_1' (expected one of c, a, b)");
  g_clear_error (&error);
  g_assert_false (cb_expr_bind (expr, NULL, 0, &error));
  assert_error (error, CB_EXPR_ERROR_UNKNOWN_NAME,
                "position 1: unknown name 'b' (no names are defined)");
  g_clear_error (&error);
  g_assert_false (cb_expr_is_bound (expr));

  {
    const char * const four[] = { "c", "a", "b", "a_1" };
    double four_values[] = { 1, 2, 3, 5 };

    g_assert_true (cb_expr_bind (expr, four, 4, &error));
    g_assert_no_error (error);
    g_assert_true (cb_expr_evaluate (expr, four_values, &v, &error));
    assert_close (v, 3 * 2 + 3 - 1 + G_PI, 1e-15, "bound");
  }

  /* Rebinding to other slots, and a failed bind keeps the last binding. */
  {
    const char * const other[] = { "b", "a", "c", "a_1" };
    double other_values[] = { 3, 2, 1, 7 };

    g_assert_true (cb_expr_bind (expr, other, 4, &error));
    g_assert_true (cb_expr_evaluate (expr, other_values, &v, &error));
    assert_close (v, 3 * 2 + 3 - 1 + G_PI, 1e-15, "rebound");
    g_assert_false (cb_expr_bind (expr, other, 3, &error));
    g_clear_error (&error);
    g_assert_true (cb_expr_is_bound (expr));
    g_assert_true (cb_expr_evaluate (expr, other_values, &v, &error));
    assert_close (v, 3 * 2 + 3 - 1 + G_PI, 1e-15, "kept binding");
  }

  /* Slots may hold more names than used, and duplicates bind to the first. */
  {
    g_autoptr(CbExpr) e2 = NULL;
    const char * const many[] = { "unused", "x", "x" };
    double many_values[] = { NAN, 4, 100 };

    e2 = parse_and_bind ("x*x", many, 3);
    g_assert_true (cb_expr_evaluate (e2, many_values, &v, &error));
    g_assert_no_error (error);
    assert_close (v, 16, 0, "unused NaN slot is not read");
  }

  /* Reference counting. */
  {
    CbExpr *e3 = cb_expr_parse ("1", NULL);

    g_assert_true (cb_expr_ref (e3) == e3);
    cb_expr_unref (e3);
    g_assert_cmpstr (cb_expr_get_text (e3), ==, "1");
    cb_expr_unref (e3);
  }
}

static void
test_utf8_names (void)
{
  static const char * const slots[] = { "Δ", "δ", "θ", "x₁", "é", "温度" };
  g_autoptr(CbExpr) expr = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *names;
  double values[] = { 10, 1, 2, 3, 4, 20 };
  double v;

  /* é written decomposed (e + U+0301) binds to the precomposed slot. */
  expr = parse_and_bind ("θ×2 + Δ − δ + x₁ + e\xcc\x81 + 温度/10", slots, G_N_ELEMENTS (slots));
  names = cb_expr_get_names (expr);
  g_assert_cmpstr (names[0], ==, "θ");
  g_assert_cmpstr (names[1], ==, "Δ");
  g_assert_cmpstr (names[2], ==, "δ");
  g_assert_cmpstr (names[3], ==, "x₁");
  g_assert_cmpstr (names[4], ==, "é");
  g_assert_cmpstr (names[5], ==, "温度");
  g_assert_null (names[6]);
  g_assert_true (cb_expr_evaluate (expr, values, &v, &error));
  g_assert_no_error (error);
  assert_close (v, 2 * 2 + 10 - 1 + 3 + 4 + 2, 0, "utf8");

  /* Positions count characters, not bytes. */
  g_clear_pointer (&expr, cb_expr_unref);
  expr = cb_expr_parse ("θ + ω", &error);
  g_assert_no_error (error);
  g_assert_false (cb_expr_bind (expr, slots, 3, &error));
  assert_error (error, CB_EXPR_ERROR_UNKNOWN_NAME,
                "position 5: unknown name 'ω' (expected one of Δ, δ, θ)");
}

static void
test_parse_errors (void)
{
  static const struct
  {
    const char *text;
    int         code;
    const char *message;
  } cases[] = {
    { "", CB_EXPR_ERROR_SYNTAX,
      "position 1: expected a number, a name, '(' or a function, found end of input" },
    { "   ", CB_EXPR_ERROR_SYNTAX,
      "position 4: expected a number, a name, '(' or a function, found end of input" },
    { "(a+b x", CB_EXPR_ERROR_SYNTAX, "position 6: expected ')' but found 'x'" },
    { "1 + sqr(2)", CB_EXPR_ERROR_UNKNOWN_NAME, "position 5: unknown function 'sqr'" },
    { "log(2)", CB_EXPR_ERROR_UNKNOWN_NAME, "position 1: unknown function 'log' (use ln or log10)" },
    { "pi(2)", CB_EXPR_ERROR_SYNTAX, "position 1: 'pi' is a constant, not a function" },
    { "2 +", CB_EXPR_ERROR_SYNTAX,
      "position 4: expected a number, a name, '(' or a function, found end of input" },
    { "a b", CB_EXPR_ERROR_SYNTAX, "position 3: expected an operator or end of input, found 'b'" },
    { "2x", CB_EXPR_ERROR_SYNTAX, "position 2: expected an operator or end of input, found 'x'" },
    { "1)", CB_EXPR_ERROR_SYNTAX, "position 2: expected an operator or end of input, found ')'" },
    { ")", CB_EXPR_ERROR_SYNTAX,
      "position 1: expected a number, a name, '(' or a function, found ')'" },
    { "1 ** 2", CB_EXPR_ERROR_SYNTAX,
      "position 4: expected a number, a name, '(' or a function, found '*'" },
    { "1.2.3", CB_EXPR_ERROR_SYNTAX, "position 4: expected an operator or end of input, found '.3'" },
    { "sqrt x", CB_EXPR_ERROR_SYNTAX, "position 6: expected '(' after 'sqrt' but found 'x'" },
    { "x + sin", CB_EXPR_ERROR_SYNTAX, "position 8: expected '(' after 'sin' but found end of input" },
    { "sqrt(1, 2)", CB_EXPR_ERROR_ARITY, "position 1: sqrt takes 1 argument, found 2" },
    { "1 + exp()", CB_EXPR_ERROR_ARITY, "position 5: exp takes 1 argument, found 0" },
    { "atan2(1)", CB_EXPR_ERROR_ARITY, "position 1: atan2 takes 2 arguments, found 1" },
    { "min(x)", CB_EXPR_ERROR_ARITY, "position 1: min takes 2 or more arguments, found 1" },
    { "max()", CB_EXPR_ERROR_ARITY, "position 1: max takes 2 or more arguments, found 0" },
    { "max(x,)", CB_EXPR_ERROR_SYNTAX,
      "position 7: expected a number, a name, '(' or a function, found ')'" },
    { "max(x y)", CB_EXPR_ERROR_SYNTAX, "position 7: expected ',' or ')' but found 'y'" },
    { "atan2(1, 2", CB_EXPR_ERROR_SYNTAX, "position 11: expected ',' or ')' but found end of input" },
    { "1e400", CB_EXPR_ERROR_SYNTAX, "position 1: the number '1e400' is out of range" },
    { "x + 1e-400", CB_EXPR_ERROR_SYNTAX, "position 5: the number '1e-400' is out of range" },
    { "2e+", CB_EXPR_ERROR_SYNTAX, "position 4: expected a digit after '2e+'" },
    { "3E", CB_EXPR_ERROR_SYNTAX, "position 3: expected a digit after '3E'" },
    { "θ + $", CB_EXPR_ERROR_SYNTAX,
      "position 5: expected a number, a name, '(' or a function, found '$'" },
    { "Δx × (δ", CB_EXPR_ERROR_SYNTAX, "position 8: expected ')' but found end of input" },
    { "x² + 1", CB_EXPR_ERROR_SYNTAX, "position 2: expected an operator or end of input, found '²'" },
    { "°C", CB_EXPR_ERROR_SYNTAX,
      "position 1: expected a number, a name, '(' or a function, found '°'" },
    { "x\x01", CB_EXPR_ERROR_SYNTAX, "position 2: expected an operator or end of input, found U+0001" },
    { "a+\xff", CB_EXPR_ERROR_SYNTAX, "position 3: the text is not valid UTF-8" },
    { "αβ\xce", CB_EXPR_ERROR_SYNTAX, "position 3: the text is not valid UTF-8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CbExpr) expr = cb_expr_parse (cases[i].text, &error);

      g_assert_null (expr);
      assert_error (error, cases[i].code, cases[i].message);
    }

  /* A long token is shortened in the message. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CbExpr) expr = cb_expr_parse ("1 abcdefghijklmnopqrstuvwxyz0123456789", &error);

    g_assert_null (expr);
    assert_error (error, CB_EXPR_ERROR_SYNTAX,
                  "position 3: expected an operator or end of input, "
                  "found 'abcdefghijklmnopqrstuvwxyz012345…'");
  }
}

static void
test_deep_nesting (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbExpr) expr = NULL;

  /* 10000 brackets: an error, not a stack overflow. */
  for (guint i = 0; i < 10000; i++)
    g_string_append_c (text, '(');
  g_string_append_c (text, '1');
  for (guint i = 0; i < 10000; i++)
    g_string_append_c (text, ')');
  expr = cb_expr_parse (text->str, &error);
  g_assert_null (expr);
  assert_error (error, CB_EXPR_ERROR_SYNTAX,
                "position 201: the expression is nested too deeply (at most 200 levels)");
  g_clear_error (&error);

  /* The same through signs, exponents and function arguments. */
  g_string_truncate (text, 0);
  for (guint i = 0; i < 10000; i++)
    g_string_append_c (text, '-');
  g_string_append_c (text, 'x');
  g_assert_null (cb_expr_parse (text->str, &error));
  g_assert_error (error, CB_EXPR_ERROR, CB_EXPR_ERROR_SYNTAX);
  g_clear_error (&error);

  g_string_truncate (text, 0);
  for (guint i = 0; i < 10000; i++)
    g_string_append (text, "x^");
  g_string_append_c (text, 'x');
  g_assert_null (cb_expr_parse (text->str, &error));
  g_assert_error (error, CB_EXPR_ERROR, CB_EXPR_ERROR_SYNTAX);
  g_clear_error (&error);

  g_string_truncate (text, 0);
  for (guint i = 0; i < 10000; i++)
    g_string_append (text, "sqrt(");
  g_assert_null (cb_expr_parse (text->str, &error));
  g_assert_error (error, CB_EXPR_ERROR, CB_EXPR_ERROR_SYNTAX);
  g_clear_error (&error);

  /* Reasonable nesting works, with names so that nothing folds. */
  g_string_truncate (text, 0);
  for (guint i = 0; i < 150; i++)
    g_string_append (text, "(x+");
  g_string_append_c (text, '1');
  for (guint i = 0; i < 150; i++)
    g_string_append_c (text, ')');
  assert_close (eval1 (text->str, 2), 301, 0, "150 levels");
}

static void
test_large_input (void)
{
  static const char * const slots[] = { "x" };
  g_autoptr(GString) text = g_string_new ("x");
  g_autoptr(GError) error = NULL;
  g_autoptr(CbExpr) expr = NULL;
  g_autoptr(GPtrArray) slot_names = g_ptr_array_new_with_free_func (g_free);
  g_autofree double *values = NULL;
  double v;

  /* A long flat sum: parsed and evaluated without recursion. */
  for (guint i = 1; i < 100000; i++)
    g_string_append (text, "+x");
  expr = parse_and_bind (text->str, slots, 1);
  g_assert_true (cb_expr_evaluate (expr, (double[]) { 0.5 }, &v, &error));
  assert_close (v, 50000, 0, "100000 terms");
  g_clear_pointer (&expr, cb_expr_unref);

  /* Many distinct names, listed once each in order. */
  g_string_truncate (text, 0);
  for (guint i = 0; i < 2000; i++)
    {
      g_string_append_printf (text, "%sv%u", i > 0 ? "+" : "", i);
      g_ptr_array_add (slot_names, g_strdup_printf ("v%u", 1999 - i));
    }
  g_string_append (text, "+v0");
  expr = cb_expr_parse (text->str, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length ((char **) cb_expr_get_names (expr)), ==, 2000);
  g_assert_cmpstr (cb_expr_get_names (expr)[1999], ==, "v1999");
  g_assert_true (cb_expr_bind (expr, (const char * const *) slot_names->pdata, 2000, &error));
  values = g_new (double, 2000);
  for (guint i = 0; i < 2000; i++)
    values[i] = 1999 - i;        /* slot i holds v(1999-i) = its index */
  g_assert_true (cb_expr_evaluate (expr, values, &v, &error));
  assert_close (v, 1999.0 * 2000 / 2, 0, "2000 names");
  g_clear_pointer (&expr, cb_expr_unref);

  /* Too long. */
  {
    g_autofree char *huge = g_strnfill (2 * 1024 * 1024, '1');

    g_assert_null (cb_expr_parse (huge, &error));
    g_assert_error (error, CB_EXPR_ERROR, CB_EXPR_ERROR_SYNTAX);
    g_clear_error (&error);
  }

  /* A long number is still one number. */
  {
    g_autofree char *zeros = g_strnfill (5000, '0');
    g_autofree char *number = g_strconcat (zeros, "42.5", zeros, NULL);

    expr = cb_expr_parse (number, &error);
    g_assert_no_error (error);
    g_assert_true (cb_expr_evaluate (expr, NULL, &v, &error));
    assert_close (v, 42.5, 0, "long number");
  }
}

/* Random strings over the alphabet of the language: never a crash, and an
 * error always names a position. */
static void
test_malformed_input (void)
{
  static const char * const pieces[] = {
    "x", "y", "1", "2.5", "1e3", "e", ".", "+", "-", "−", "*", "×", "/", "÷", "^",
    "(", ")", ",", " ", "sqrt(", "min(", "atan2(", "pi", "θ", "\xff", "\x01", "$", "0",
    "ln(", "1e400",
  };
  static const char * const slots[] = { "x", "y", "e", "θ" };
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240611);
  guint n_parsed = 0;

  for (guint t = 0; t < 20000; t++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(CbExpr) expr = NULL;
      guint len = g_rand_int_range (rand, 0, 12);
      double values[] = { 0.5, -2, 3, 0 };
      double v;

      for (guint i = 0; i < len; i++)
        g_string_append (text, pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))]);
      expr = cb_expr_parse (text->str, &error);
      if (expr == NULL)
        {
          g_assert_nonnull (error);
          g_assert_true (g_str_has_prefix (error->message, "position ")
                         || g_str_has_prefix (error->message, "the expression"));
          continue;
        }
      n_parsed++;
      g_assert_no_error (error);
      /* Pieces run together into other names, such as "xy". */
      if (!cb_expr_bind (expr, slots, G_N_ELEMENTS (slots), &error))
        {
          g_assert_error (error, CB_EXPR_ERROR, CB_EXPR_ERROR_UNKNOWN_NAME);
          continue;
        }
      if (!cb_expr_evaluate (expr, values, &v, &error))
        {
          g_assert_true (g_str_has_prefix (error->message, "in '"));
          g_clear_error (&error);
        }
      else
        g_assert_true (isfinite (v));
    }
  /* The alphabet makes valid expressions too. */
  g_assert_cmpuint (n_parsed, >, 200);
}

/* ------------------------------------------------------------------------ */
/* Derivatives                                                               */

static void
test_function_derivatives (void)
{
  static const char * const slots[] = { "x" };
  /* Analytic values and first and second derivatives. */
  const struct
  {
    const char *text;
    double      x;
    double      value;
    double      d1;
    double      d2;
  } cases[] = {
    { "sqrt(x)", 2, G_SQRT2, 1 / (2 * G_SQRT2), -1 / (4 * 2 * G_SQRT2) },
    { "exp(x)", 0.5, exp (0.5), exp (0.5), exp (0.5) },
    { "ln(x)", 3, log (3), 1.0 / 3, -1.0 / 9 },
    { "log10(x)", 20, log10 (20), 1 / (20 * G_LN10), -1 / (400 * G_LN10) },
    { "sin(x)", 0.7, sin (0.7), cos (0.7), -sin (0.7) },
    { "cos(x)", 0.7, cos (0.7), -sin (0.7), -cos (0.7) },
    /* tan' = 1 + tan², tan'' = 2 tan (1 + tan²) */
    { "tan(x)", 0.4, tan (0.4), 1 + tan (0.4) * tan (0.4),
      2 * tan (0.4) * (1 + tan (0.4) * tan (0.4)) },
    /* asin' = 1/sqrt(1-x²), asin'' = x/(1-x²)^1.5 */
    { "asin(x)", 0.3, asin (0.3), 1 / sqrt (0.91), 0.3 / pow (0.91, 1.5) },
    /* acos at -0.6: -1/sqrt(0.64) = -1.25, -x/0.64^1.5 = 0.6/0.512 */
    { "acos(x)", -0.6, acos (-0.6), -1.25, 0.6 / 0.512 },
    { "atan(x)", 2, atan (2), 0.2, -4.0 / 25 },
    { "abs(x)", -1.5, 1.5, -1, 0 },
    { "abs(x)", 2, 2, 1, 0 },
    { "abs(x)", 0, 0, 1, 0 },      /* the branch of +x */
    { "-x", 2, -2, -1, 0 },
    { "+x", 2, 2, 1, 0 },
    { "x^3", 1.5, 3.375, 6.75, 9 },
    { "x^3", -2, -8, 12, -12 },    /* negative base, constant exponent */
    { "x^2", 0, 0, 0, 2 },
    { "x^1", 0, 0, 1, 0 },
    { "x^0", 0, 1, 0, 0 },
    { "x^2.5", 1.2, pow (1.2, 2.5), 2.5 * pow (1.2, 1.5), 2.5 * 1.5 * sqrt (1.2) },
    { "x^-1", 4, 0.25, -1.0 / 16, 2.0 / 64 },
    { "2^x", 1.5, 2 * G_SQRT2, 2 * G_SQRT2 * G_LN2, 2 * G_SQRT2 * G_LN2 * G_LN2 },
    { "x^x", 2, 4, 4 * (1 + G_LN2), 4 * (1 + G_LN2) * (1 + G_LN2) + 4 * 0.5 },
    { "1/x", 4, 0.25, -1.0 / 16, 2.0 / 64 },
    { "3/x^2", 2, 0.75, -0.75, 1.125 },
    { "x*x*x", 2, 8, 12, 12 },
    { "x-3*x", 2, -4, -2, 0 },
    { "min(x, 2)", 1, 1, 1, 0 },
    { "min(x, 2)", 3, 2, 0, 0 },
    { "max(x^2, 2, 1)", 3, 9, 6, 2 },
    { "max(x^2, 2, 1)", 1, 2, 0, 0 },
    { "atan2(x, 2)", 1, atan (0.5), 2.0 / 5, -2.0 * 1 * 2 / 25 },
    { "atan2(1, x)", 2, atan (0.5), -1.0 / 5, 2.0 * 1 * 2 / 25 },
    { "exp(sin(x))", 0.3, exp (sin (0.3)), exp (sin (0.3)) * cos (0.3),
      exp (sin (0.3)) * (cos (0.3) * cos (0.3) - sin (0.3)) },
    { "sqrt(1 + x^2)", 0.75, 1.25, 0.6, 1 / (1.25 * 1.25 * 1.25) },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CbJet) jet = eval_jet (cases[i].text, slots, 1, &cases[i].x, TRUE);
      g_autoptr(CbJet) first = eval_jet (cases[i].text, slots, 1, &cases[i].x, FALSE);
      g_autofree char *what = g_strdup_printf ("%s at %g", cases[i].text, cases[i].x);

      assert_close (jet->value, cases[i].value, 1e-12, what);
      assert_close (jet->grad[0], cases[i].d1, 1e-12, what);
      assert_close (jet->hess[0], cases[i].d2, 1e-10, what);
      /* Without the Hessian, the same value and gradient. */
      g_assert_false (first->second_order);
      g_assert_null (first->hess);
      g_assert_cmpfloat (first->value, ==, jet->value);
      g_assert_cmpfloat (first->grad[0], ==, jet->grad[0]);
      /* The value equals plain evaluation. */
      g_assert_cmpfloat (eval1 (cases[i].text, cases[i].x), ==, jet->value);
    }
}

static void
assert_jet (const CbJet  *jet,
            double        value,
            const double *grad,
            const double *hess,
            const char   *what)
{
  guint n = jet->n;

  assert_close (jet->value, value, 1e-13, what);
  for (guint i = 0; i < n; i++)
    assert_close (jet->grad[i], grad[i], 1e-12, what);
  for (guint i = 0; i < n * n; i++)
    assert_close (jet->hess[i], hess[i], 1e-11, what);
  /* The Hessian is symmetric, exactly. */
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < n; j++)
      g_assert_cmpfloat (jet->hess[i * n + j], ==, jet->hess[j * n + i]);
}

static void
test_hessians (void)
{
  static const char * const xyz[] = { "x", "y", "z" };
  double x = 1.3, y = -0.7, z = 2.1;
  double at[] = { x, y, z };

  /* x*y/z */
  {
    g_autoptr(CbJet) jet = eval_jet ("x*y/z", xyz, 3, at, TRUE);
    double grad[] = { y / z, x / z, -x * y / (z * z) };
    double hess[] = {
      0, 1 / z, -y / (z * z),
      1 / z, 0, -x / (z * z),
      -y / (z * z), -x / (z * z), 2 * x * y / (z * z * z),
    };

    assert_jet (jet, x * y / z, grad, hess, "x*y/z");
  }

  /* exp(x*y) */
  {
    g_autoptr(CbJet) jet = eval_jet ("exp(x*y)", xyz, 3, at, TRUE);
    double e = exp (x * y);
    double grad[] = { y * e, x * e, 0 };
    double hess[] = {
      y * y * e, (1 + x * y) * e, 0,
      (1 + x * y) * e, x * x * e, 0,
      0, 0, 0,
    };

    assert_jet (jet, e, grad, hess, "exp(x*y)");
  }

  /* atan2(y, x) */
  {
    g_autoptr(CbJet) jet = eval_jet ("atan2(y, x)", xyz, 3, at, TRUE);
    double r2 = x * x + y * y, r4 = r2 * r2;
    double grad[] = { -y / r2, x / r2, 0 };
    double hess[] = {
      2 * x * y / r4, (y * y - x * x) / r4, 0,
      (y * y - x * x) / r4, -2 * x * y / r4, 0,
      0, 0, 0,
    };

    assert_jet (jet, atan2 (y, x), grad, hess, "atan2(y, x)");
  }

  /* x^z, both variable */
  {
    g_autoptr(CbJet) jet = eval_jet ("x^z", xyz, 3, at, TRUE);
    double v = pow (x, z), l = log (x);
    double grad[] = { z * pow (x, z - 1), 0, v * l };
    double hess[] = {
      z * (z - 1) * pow (x, z - 2), 0, pow (x, z - 1) * (1 + z * l),
      0, 0, 0,
      pow (x, z - 1) * (1 + z * l), 0, v * l * l,
    };

    assert_jet (jet, v, grad, hess, "x^z");
  }

  /* A product of three sums: (x+y)(y+z)(x+z) */
  {
    g_autoptr(CbJet) jet = eval_jet ("(x+y)*(y+z)*(x+z)", xyz, 3, at, TRUE);
    double a = x + y, b = y + z, c = x + z;
    double grad[] = { b * c + a * b, c * b + a * c, a * c + a * b };
    double hess[] = {
      2 * b, c + b + a, b + a + c,
      c + b + a, 2 * c, a + c + b,
      b + a + c, a + c + b, 2 * a,
    };

    assert_jet (jet, a * b * c, grad, hess, "(x+y)(y+z)(x+z)");
  }
}

/* A nested expression checked against central differences of its values
 * (gradient) and of its jet gradients (Hessian). */
static void
test_against_differences (void)
{
  static const char * const xyz[] = { "x", "y", "z" };
  const char *text = "sqrt(x^2 + y^2) * atan2(y, x) - ln(z) / max(x, y, z) + x^y * cos(z*y) "
                     "+ asin(y/3) * acos(x/2) + tan(z/3) * log10(x + z) - abs(y)^1.5";
  double at[] = { 1.3, 0.7, 2.1 };
  g_autoptr(CbJet) jet = eval_jet (text, xyz, 3, at, TRUE);

  for (guint i = 0; i < 3; i++)
    {
      double h = 1e-5;
      double up[3], down[3];
      double vu, vd;
      static const char * const one[] = { "x", "y", "z" };
      g_autoptr(CbExpr) expr = parse_and_bind (text, one, 3);
      g_autoptr(CbJet) ju = NULL;
      g_autoptr(CbJet) jd = NULL;

      memcpy (up, at, sizeof at);
      memcpy (down, at, sizeof at);
      up[i] += h;
      down[i] -= h;
      g_assert_true (cb_expr_evaluate (expr, up, &vu, NULL));
      g_assert_true (cb_expr_evaluate (expr, down, &vd, NULL));
      assert_close (jet->grad[i], (vu - vd) / (2 * h), 1e-7, "gradient");

      ju = eval_jet (text, xyz, 3, up, FALSE);
      jd = eval_jet (text, xyz, 3, down, FALSE);
      for (guint j = 0; j < 3; j++)
        assert_close (jet->hess[i * 3 + j], (ju->grad[j] - jd->grad[j]) / (2 * h), 1e-6, "hessian");
    }
}

/* Slots may be earlier outputs whose jets are not unit vectors: the chain
 * rule through them equals differentiating the whole model at once. */
static void
test_chained_jets (void)
{
  static const char * const xy[] = { "x", "y" };
  static const char * const slots[] = { "x", "y", "u" };
  double at[] = { 0.8, 1.7 };
  g_autoptr(CbExpr) inner = parse_and_bind ("x*exp(y) - y^2", xy, 2);
  g_autoptr(CbExpr) outer = parse_and_bind ("sin(u) * x + u/y", slots, 3);
  g_autoptr(CbJet) jx = cb_jet_new (2, TRUE);
  g_autoptr(CbJet) jy = cb_jet_new (2, TRUE);
  g_autoptr(CbJet) ju = cb_jet_new (2, TRUE);
  g_autoptr(CbJet) result = cb_jet_new (2, TRUE);
  g_autoptr(CbJet) direct = eval_jet ("sin(x*exp(y) - y^2) * x + (x*exp(y) - y^2)/y", xy, 2, at, TRUE);
  g_autoptr(GError) error = NULL;
  const CbJet *inner_args[2];
  const CbJet *outer_args[3];

  cb_jet_set_variable (jx, at[0], 0);
  cb_jet_set_variable (jy, at[1], 1);
  inner_args[0] = jx;
  inner_args[1] = jy;
  g_assert_true (cb_expr_evaluate_jet (inner, inner_args, ju, &error));
  g_assert_no_error (error);
  outer_args[0] = jx;
  outer_args[1] = jy;
  outer_args[2] = ju;
  g_assert_true (cb_expr_evaluate_jet (outer, outer_args, result, &error));
  g_assert_no_error (error);

  assert_close (result->value, direct->value, 1e-14, "chained value");
  for (guint i = 0; i < 2; i++)
    assert_close (result->grad[i], direct->grad[i], 1e-13, "chained gradient");
  for (guint i = 0; i < 4; i++)
    assert_close (result->hess[i], direct->hess[i], 1e-12, "chained hessian");

  /* Unused slots need no jet; a constant result has zero derivatives. */
  {
    g_autoptr(CbExpr) partial = parse_and_bind ("2*y", xy, 2);
    g_autoptr(CbExpr) constant = parse_and_bind ("2*pi", xy, 2);
    const CbJet *sparse[] = { NULL, jy };

    g_assert_true (cb_expr_evaluate_jet (partial, sparse, result, &error));
    g_assert_cmpfloat (result->value, ==, 2 * at[1]);
    g_assert_cmpfloat (result->grad[0], ==, 0);
    g_assert_cmpfloat (result->grad[1], ==, 2);
    g_assert_true (cb_expr_evaluate_jet (constant, sparse, result, &error));
    g_assert_cmpfloat (result->value, ==, 2 * G_PI);
    g_assert_cmpfloat (result->grad[0], ==, 0);
    g_assert_cmpfloat (result->grad[1], ==, 0);
    g_assert_cmpfloat (result->hess[3], ==, 0);
  }

  /* A slot that is the result itself: copied out. */
  {
    g_autoptr(CbExpr) same = parse_and_bind ("u", slots, 3);

    g_assert_true (cb_expr_evaluate_jet (same, outer_args, result, &error));
    g_assert_cmpfloat (result->value, ==, ju->value);
    g_assert_cmpfloat (result->hess[1], ==, ju->hess[1]);
  }

  /* cb_jet_copy and cb_jet_set_variable. */
  {
    g_autoptr(CbJet) copy = cb_jet_new (2, TRUE);

    cb_jet_copy (copy, ju);
    g_assert_cmpmem (copy->grad, 2 * sizeof (double), ju->grad, 2 * sizeof (double));
    g_assert_cmpmem (copy->hess, 4 * sizeof (double), ju->hess, 4 * sizeof (double));
    cb_jet_set_variable (copy, 5, 1);
    g_assert_cmpfloat (copy->value, ==, 5);
    g_assert_cmpfloat (copy->grad[0], ==, 0);
    g_assert_cmpfloat (copy->grad[1], ==, 1);
    for (guint i = 0; i < 4; i++)
      g_assert_cmpfloat (copy->hess[i], ==, 0);
  }
}

/* ------------------------------------------------------------------------ */
/* Evaluation errors                                                         */

static void
test_domain_errors (void)
{
  static const char * const slots[] = { "a", "b", "x" };
  static const struct
  {
    const char *text;
    double      a, b, x;
    int         code;
    const char *message;
  } cases[] = {
    { "ln(a-b)", 1, 3, 0, CB_EXPR_ERROR_DOMAIN,
      "in 'ln(a-b)': ln of -2 is not defined (argument must be positive)" },
    { "1 + 2*ln(a-b)", 1, 1, 0, CB_EXPR_ERROR_DOMAIN,
      "in 'ln(a-b)': ln of 0 is not defined (argument must be positive)" },
    { "x/(a-b)", 2, 2, 3, CB_EXPR_ERROR_DIVISION_BY_ZERO,
      "in 'x/(a-b)': division of 3 by zero" },
    { "x ÷ (a − b)", 2, 2, 3, CB_EXPR_ERROR_DIVISION_BY_ZERO,
      "in 'x ÷ (a − b)': division of 3 by zero" },
    { "sqrt(a)", -4, 0, 0, CB_EXPR_ERROR_DOMAIN,
      "in 'sqrt(a)': sqrt of -4 is not defined (argument must not be negative)" },
    { "asin(a)", 2, 0, 0, CB_EXPR_ERROR_DOMAIN,
      "in 'asin(a)': asin of 2 is not defined (argument must be between -1 and 1)" },
    { "acos(a*b)", -1.5, 1, 0, CB_EXPR_ERROR_DOMAIN,
      "in 'acos(a*b)': acos of -1.5 is not defined (argument must be between -1 and 1)" },
    { "log10(a)", 0, 0, 0, CB_EXPR_ERROR_DOMAIN,
      "in 'log10(a)': log10 of 0 is not defined (argument must be positive)" },
    { "a^b", 0, -1, 0, CB_EXPR_ERROR_DIVISION_BY_ZERO,
      "in 'a^b': 0 raised to the power -1 is not defined (division by zero)" },
    { "a^b", -8, 0.5, 0, CB_EXPR_ERROR_DOMAIN,
      "in 'a^b': -8 raised to the power 0.5 is not defined "
      "(a negative base needs an integer exponent)" },
    { "exp(a)", 1000, 0, 0, CB_EXPR_ERROR_DOMAIN,
      "in 'exp(a)': the result of exp(1000) is not a finite number" },
    { "a*b", 1e300, 1e300, 0, CB_EXPR_ERROR_DOMAIN,
      "in 'a*b': the result of 1e+300 * 1e+300 is not a finite number" },
    { "a^b", -10, 401, 0, CB_EXPR_ERROR_DOMAIN,
      "in 'a^b': the result of (-10) ^ 401 is not a finite number" },
    { "atan2(a, b)", 0, 0, 0, CB_EXPR_ERROR_DOMAIN,
      "in 'atan2(a, b)': atan2(0, 0) is not defined (both arguments are zero)" },
    { "a + 0.1", 0.1, 0, 0, 0, NULL },
    { "b + 1", 0, NAN, 0, CB_EXPR_ERROR_DOMAIN,
      "the value of 'b' is NaN, not a finite number" },
    { "min(b, 1)", 0, INFINITY, 0, CB_EXPR_ERROR_DOMAIN,
      "the value of 'b' is inf, not a finite number" },
    { "x", 0, 0, NAN, CB_EXPR_ERROR_DOMAIN,
      "the value of 'x' is NaN, not a finite number" },
    /* Operations on constants that fail are reported at evaluation. */
    { "1/0 + a", 0, 0, 0, CB_EXPR_ERROR_DIVISION_BY_ZERO, "in '1/0': division of 1 by zero" },
    { "ln(-1)", 0, 0, 0, CB_EXPR_ERROR_DOMAIN,
      "in 'ln(-1)': ln of -1 is not defined (argument must be positive)" },
    { "1/3 - x", 0, 0, 0.1, 0, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CbExpr) expr = parse_and_bind (cases[i].text, slots, 3);
      g_autoptr(GError) error = NULL;
      double values[] = { cases[i].a, cases[i].b, cases[i].x };
      const double *columns[] = { &values[0], &values[1], &values[2] };
      double v = 12345;

      if (cases[i].message == NULL)
        {
          g_assert_true (cb_expr_evaluate (expr, values, &v, &error));
          g_assert_no_error (error);
          continue;
        }
      g_assert_false (cb_expr_evaluate (expr, values, &v, &error));
      g_assert_cmpfloat (v, ==, 12345);
      assert_error (error, cases[i].code, cases[i].message);
      g_clear_error (&error);

      /* The same message from block and derivative evaluation. */
      g_assert_false (cb_expr_evaluate_block (expr, columns, 1, &v, &error));
      assert_error (error, cases[i].code, cases[i].message);
      g_clear_error (&error);
      {
        g_autoptr(CbJet) ja = cb_jet_new (3, TRUE);
        g_autoptr(CbJet) jb = cb_jet_new (3, TRUE);
        g_autoptr(CbJet) jx = cb_jet_new (3, TRUE);
        g_autoptr(CbJet) jr = cb_jet_new (3, TRUE);
        const CbJet *args[] = { ja, jb, jx };

        cb_jet_set_variable (ja, values[0], 0);
        cb_jet_set_variable (jb, values[1], 1);
        cb_jet_set_variable (jx, values[2], 2);
        g_assert_false (cb_expr_evaluate_jet (expr, args, jr, &error));
        assert_error (error, cases[i].code, cases[i].message);
      }
    }
}

static void
test_derivative_errors (void)
{
  static const char * const xy[] = { "x", "y" };
  static const struct
  {
    const char *text;
    double      x, y;
    const char *message;
  } cases[] = {
    { "sqrt(x)", 0, 0, "in 'sqrt(x)': the derivative of sqrt(0) is not a finite number" },
    { "x^0.5", 0, 0, "in 'x^0.5': the derivative of 0 ^ 0.5 is not a finite number" },
    { "asin(x)", 1, 0, "in 'asin(x)': the derivative of asin(1) is not a finite number" },
    { "x^y", -2, 3,
      "in 'x^y': (-2) ^ 3 has no derivative with respect to the exponent "
      "(the base must be positive)" },
    { "x^y", 0, 0, "in 'x^y': the derivative of 0 ^ 0 is not a finite number" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CbExpr) expr = parse_and_bind (cases[i].text, xy, 2);
      g_autoptr(GError) error = NULL;
      g_autoptr(CbJet) jx = cb_jet_new (2, FALSE);
      g_autoptr(CbJet) jy = cb_jet_new (2, FALSE);
      g_autoptr(CbJet) jr = cb_jet_new (2, FALSE);
      const CbJet *args[] = { jx, jy };
      double values[] = { cases[i].x, cases[i].y };
      double v;

      /* The value alone is defined. */
      g_assert_true (cb_expr_evaluate (expr, values, &v, &error));
      g_assert_no_error (error);

      cb_jet_set_variable (jx, cases[i].x, 0);
      cb_jet_set_variable (jy, cases[i].y, 1);
      g_assert_false (cb_expr_evaluate_jet (expr, args, jr, &error));
      assert_error (error, CB_EXPR_ERROR_DOMAIN, cases[i].message);
    }

  /* Where the limits exist, 0 as a base with a variable exponent is fine,
   * and a constant operand never spoils a derivative. */
  {
    double at[] = { 0, 2 };
    g_autoptr(CbJet) jet = eval_jet ("x^y", xy, 2, at, TRUE);
    double grad[] = { 0, 0 };
    double hess[] = { 2, 0, 0, 0 };

    assert_jet (jet, 0, grad, hess, "0^2 with variable exponent");
  }
  {
    double at[] = { 0, 2 };
    /* sqrt(x - x) does not depend on x: its infinite slope at 0 is unused. */
    g_autoptr(CbJet) jet = eval_jet ("sqrt(x - x) + y", xy, 2, at, TRUE);
    double grad[] = { 0, 1 };
    double hess[] = { 0, 0, 0, 0 };

    assert_jet (jet, 2, grad, hess, "sqrt of a constant");
  }
}

/* ------------------------------------------------------------------------ */
/* Block evaluation                                                          */

#define N_INPUTS 10

static const char * const model_slots[N_INPUTS] = {
  "a", "b", "c", "d", "e", "f", "g", "h", "θ", "δ",
};
static const char *model_text =
  "a*(1 + b*(c - 20)) / (d + 2) + sqrt(e^2 + f^2) - ln(g) * exp(-h/10) "
  "+ atan2(θ, 1) - min(a, b, 0.5) + max(δ, c, -1) * cos(θ) ÷ 3 + abs(δ)^1.5 - 2*pi";

static double **
make_columns (gsize n)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  double **columns = g_new (double *, N_INPUTS);

  for (guint i = 0; i < N_INPUTS; i++)
    {
      columns[i] = g_new (double, n);
      for (gsize s = 0; s < n; s++)
        /* g must stay positive for ln(g); the others may be anything. */
        columns[i][s] = i == 6 ? g_rand_double_range (rand, 0.5, 2)
                               : g_rand_double_range (rand, -5, 5);
    }
  return columns;
}

static void
free_columns (double **columns)
{
  for (guint i = 0; i < N_INPUTS; i++)
    g_free (columns[i]);
  g_free (columns);
}

static void
test_block (void)
{
  const gsize n = 1000;    /* not a multiple of any chunk size */
  g_autoptr(CbExpr) expr = parse_and_bind (model_text, model_slots, N_INPUTS);
  g_autoptr(GError) error = NULL;
  double **columns = make_columns (n);
  g_autofree double *out = g_new (double, n);

  g_assert_true (cb_expr_evaluate_block (expr, (const double * const *) columns, n, out, &error));
  g_assert_no_error (error);
  for (gsize s = 0; s < n; s++)
    {
      double values[N_INPUTS];
      double v;

      for (guint i = 0; i < N_INPUTS; i++)
        values[i] = columns[i][s];
      g_assert_true (cb_expr_evaluate (expr, values, &v, &error));
      /* Bit for bit the same. */
      g_assert_cmpmem (&v, sizeof v, &out[s], sizeof v);
    }

  /* Zero samples, a bare name, a constant. */
  g_assert_true (cb_expr_evaluate_block (expr, (const double * const *) columns, 0, NULL, &error));
  {
    g_autoptr(CbExpr) bare = parse_and_bind ("θ", model_slots, N_INPUTS);
    g_autoptr(CbExpr) constant = parse_and_bind ("2^10", model_slots, N_INPUTS);

    g_assert_true (cb_expr_evaluate_block (bare, (const double * const *) columns, n, out, &error));
    g_assert_cmpmem (out, n * sizeof (double), columns[8], n * sizeof (double));
    g_assert_true (cb_expr_evaluate_block (constant, NULL, n, out, &error));
    for (gsize s = 0; s < n; s++)
      g_assert_cmpfloat (out[s], ==, 1024);
  }
  free_columns (columns);
}

static void
test_block_errors (void)
{
  static const char * const slots[] = { "a", "b" };
  const gsize n = 1000;
  g_autoptr(CbExpr) expr = parse_and_bind ("ln(a) + sqrt(b)", slots, 2);
  g_autoptr(GError) error = NULL;
  g_autofree double *a = g_new (double, n);
  g_autofree double *b = g_new (double, n);
  g_autofree double *out = g_new (double, n);
  const double *columns[] = { a, b };

  for (gsize s = 0; s < n; s++)
    {
      a[s] = 1 + s;
      b[s] = 2 + s;
    }
  /* Sample 700 fails in sqrt, sample 710 earlier in the model, in ln: the
   * first sample is reported, whatever the order of operations. */
  b[700] = -3;
  a[710] = -1;
  g_assert_false (cb_expr_evaluate_block (expr, columns, n, out, &error));
  assert_error (error, CB_EXPR_ERROR_DOMAIN,
                "in 'sqrt(b)': sqrt of -3 is not defined (argument must not be negative)");
  g_clear_error (&error);

  b[700] = 3;
  g_assert_false (cb_expr_evaluate_block (expr, columns, n, out, &error));
  assert_error (error, CB_EXPR_ERROR_DOMAIN,
                "in 'ln(a)': ln of -1 is not defined (argument must be positive)");
  g_clear_error (&error);

  a[710] = 1;
  a[999] = NAN;
  g_assert_false (cb_expr_evaluate_block (expr, columns, n, out, &error));
  assert_error (error, CB_EXPR_ERROR_DOMAIN, "the value of 'a' is NaN, not a finite number");
  g_clear_error (&error);

  a[999] = 1;
  g_assert_true (cb_expr_evaluate_block (expr, columns, n, out, &error));
  g_assert_no_error (error);
}

typedef struct
{
  const CbExpr  *expr;
  double       **columns;
  gsize          n;
  const double  *reference;
} ThreadData;

static gpointer
evaluate_in_thread (gpointer user_data)
{
  const ThreadData *data = user_data;
  g_autofree double *out = g_new (double, data->n);
  gboolean same = TRUE;

  for (guint round = 0; round < 20; round++)
    {
      if (!cb_expr_evaluate_block (data->expr, (const double * const *) data->columns,
                                   data->n, out, NULL))
        return GINT_TO_POINTER (FALSE);
      same = same && memcmp (out, data->reference, data->n * sizeof (double)) == 0;
    }
  return GINT_TO_POINTER (same);
}

static void
test_block_threads (void)
{
  const gsize n = 5000;
  g_autoptr(CbExpr) expr = parse_and_bind (model_text, model_slots, N_INPUTS);
  double **columns = make_columns (n);
  g_autofree double *reference = g_new (double, n);
  ThreadData data = { expr, columns, n, reference };
  GThread *threads[4];

  g_assert_true (cb_expr_evaluate_block (expr, (const double * const *) columns, n, reference, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("expr", evaluate_in_thread, &data);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    g_assert_true (GPOINTER_TO_INT (g_thread_join (threads[i])));
  free_columns (columns);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/expr/precedence", test_precedence);
  g_test_add_func ("/core/expr/folding", test_folding);
  g_test_add_func ("/core/expr/names", test_names);
  g_test_add_func ("/core/expr/utf8-names", test_utf8_names);
  g_test_add_func ("/core/expr/parse-errors", test_parse_errors);
  g_test_add_func ("/core/expr/deep-nesting", test_deep_nesting);
  g_test_add_func ("/core/expr/large-input", test_large_input);
  g_test_add_func ("/core/expr/malformed-input", test_malformed_input);
  g_test_add_func ("/core/expr/function-derivatives", test_function_derivatives);
  g_test_add_func ("/core/expr/hessians", test_hessians);
  g_test_add_func ("/core/expr/against-differences", test_against_differences);
  g_test_add_func ("/core/expr/chained-jets", test_chained_jets);
  g_test_add_func ("/core/expr/domain-errors", test_domain_errors);
  g_test_add_func ("/core/expr/derivative-errors", test_derivative_errors);
  g_test_add_func ("/core/expr/block", test_block);
  g_test_add_func ("/core/expr/block-errors", test_block_errors);
  g_test_add_func ("/core/expr/block-threads", test_block_threads);

  return g_test_run ();
}
