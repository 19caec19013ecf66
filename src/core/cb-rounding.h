/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Rounding of numerical values per GB/T 8170-2008 and reporting of results
 * with their uncertainty per JJF 1059.1-2012.  Numbers are handled as the
 * decimal digits entered (CbDecimal), never through binary floating point:
 * 2.675 rounded at 0.01 is 2.68.
 */

#define CB_ROUNDING_ERROR (cb_rounding_error_quark ())

typedef enum
{
  CB_ROUNDING_ERROR_SYNTAX,   /* not a number: names the character and position */
  CB_ROUNDING_ERROR_INVALID,  /* bad interval, significant digits, limit… */
  CB_ROUNDING_ERROR_RANGE,    /* too many digits or exponent out of range */
} CbRoundingError;

/* What cb_decimal_parse() accepts: up to this many significant digits, and
 * values whose first and last digits lie between 10^-MAX and 10^MAX. */
#define CB_DECIMAL_MAX_DIGITS   100
#define CB_DECIMAL_MAX_EXPONENT 400

/* GB/T 8170 3.3: a reported value whose last digit is 5 may carry a mark
 * saying it was rounded down (+: the true value is larger) or up (−).
 * Marks apply to the absolute value. */
typedef enum
{
  CB_ROUND_MARK_NONE,
  CB_ROUND_MARK_PLUS,
  CB_ROUND_MARK_MINUS,
} CbRoundMark;

/* value = (-1)^negative × coefficient × 10^exponent; coefficient is a string
 * of decimal digits without leading zeros ("0" for zero, which is never
 * negative); trailing zeros are significant and kept (1.050 is "1050" ×
 * 10^-3). */
typedef struct
{
  gboolean    negative;
  char       *coefficient;
  int         exponent;
  CbRoundMark mark;
} CbDecimal;

GQuark      cb_rounding_error_quark     (void);

/* Accepts "12.30", "-0.05", "+3", ".5", "1.2e-3", "1.2E+3", "2×10^3",
 * "2x10^3", "36×10", "2×10³", a trailing "(+)"/"(-)"/"(−)" mark after a
 * final 5 ("1250(+)" reads as 125×10 marked); surrounding spaces are
 * ignored.  Errors name the position (counted in characters from 1) and
 * the offending character. */
CbDecimal  *cb_decimal_parse            (const char       *text,
                                         GError          **error);
/* Parses the number in the @length bytes of @text starting at byte @start;
 * positions in errors still count from the beginning of @text, so a number
 * embedded in a longer string (a limit, a formula) is reported in place. */
CbDecimal  *cb_decimal_parse_span       (const char       *text,
                                         gsize             start,
                                         gsize             length,
                                         GError          **error);
/* The shortest decimal that reads back as @value (for computed numbers);
 * NULL for NaN and infinities. */
CbDecimal  *cb_decimal_from_double      (double            value);
CbDecimal  *cb_decimal_copy             (const CbDecimal  *decimal);
void        cb_decimal_free             (CbDecimal        *decimal);
/* TRUE when @decimal follows the rules above (digits only, no leading zero,
 * a zero that is not negative, a mark only after a final 5) and its size is
 * one this module can work with. */
gboolean    cb_decimal_is_valid         (const CbDecimal  *decimal);
/* Plain notation with the digits kept ("6.30", "-0.0050", "2500"); with the
 * mark appended as "(+)" or "(-)" when set. */
char       *cb_decimal_to_string        (const CbDecimal  *decimal);
/* Scientific notation with every kept digit: "2×10^3" for 2000 rounded to
 * one significant digit, "1.27×10^3", "-3.6×10^-2"; a value whose first
 * digit is in the units place prints as plain ("6.30"). */
char       *cb_decimal_to_string_sci    (const CbDecimal  *decimal);
/* The nearest double (±HUGE_VAL or 0 outside the double range). */
double      cb_decimal_to_double        (const CbDecimal  *decimal);
/* Numeric comparison: -1, 0 or 1; 1.0 equals 1.00, marks are ignored. */
int         cb_decimal_compare          (const CbDecimal  *a,
                                         const CbDecimal  *b);
/* Exponent of the last kept digit (-2 for "6.30"). */
int         cb_decimal_get_last_place   (const CbDecimal  *decimal);

/* Round half to even at any positive interval (0.1, 0.5, 0.2, 20, 0.25…),
 * negative values by their absolute value, honouring an input mark; the
 * result's last place is that of the interval's last non-zero digit (0.25
 * → 0.01, 0.5 → 0.1, 20 → 10, 100 → 100), padded with zeros if the value
 * has fewer digits.  Never rounds in successive steps: always from the
 * value as given. */
CbDecimal  *cb_round_to_interval        (const CbDecimal  *value,
                                         const CbDecimal  *interval,
                                         GError          **error);
/* 9.96 to 2 digits is 10 (two digits), not 10.0. */
CbDecimal  *cb_round_to_significant     (const CbDecimal  *value,
                                         guint             digits,
                                         GError          **error);
/* Round to a power of ten: place -2 rounds at 0.01, place 3 at 1000.
 * NULL when @value is not valid, @place is beyond ±2×MAX_EXPONENT or the
 * padded result would be too long. */
CbDecimal  *cb_round_to_place           (const CbDecimal  *value,
                                         int               place);
/* Like cb_round_to_place but sets the GB/T 8170 3.3 mark on the result when
 * its last digit is 5 and it differs from the value (15.4546 → 15.5(−),
 * 16.5203 → 16.5(+), 17.5000 → 17.5). */
CbDecimal  *cb_round_for_report         (const CbDecimal  *value,
                                         int               place);

/* JJF 1059.1-2012 5.3: U to @sig significant digits (0: 2 when the leading
 * digit is 1 or 2, else 1; at most 2); round_up raises U when any dropped
 * digit is not zero; the value is rounded to U's last place with trailing
 * zeros kept (6.3 with U 0.25 gives 6.30). */
gboolean    cb_report_result            (const CbDecimal  *value,
                                         const CbDecimal  *expanded,
                                         guint             sig,
                                         gboolean          round_up,
                                         CbDecimal       **value_out,
                                         CbDecimal       **expanded_out,
                                         GError          **error);

/* GB/T 8170 4: limit-value judgment. */
typedef enum
{
  CB_LIMIT_METHOD_ROUNDED,  /* round to the limit's last place, then compare */
  CB_LIMIT_METHOD_FULL,     /* compare the value as measured */
} CbLimitMethod;

/* @limit is ">=97.0", "≥97.0", ">97", "<=0.5", "≤0.5", "<0.5", "=10.0", an
 * inclusive range "10.0~12.0", or "10.0±0.1" (the range 9.9~10.1).  For a
 * range the rounded method rounds to the finer of the two last places.
 * @conforms and @compared_out (the value compared) may be NULL. */
gboolean    cb_limit_judge              (const CbDecimal  *value,
                                         const char       *limit,
                                         CbLimitMethod     method,
                                         gboolean         *conforms,
                                         CbDecimal       **compared_out,
                                         GError          **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbDecimal, cb_decimal_free)

G_END_DECLS
