/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Units of record templates, checked when a template is validated: a sum of
 * MPa and kPa, or a column declared in V computed in V·A, is refused before
 * any number is entered.  A unit is a product of symbols with integer or
 * half-integer powers: "MPa", "V/A", "m·s^-2", "Ω²", "%RH", "°C".  Prefixed
 * symbols are distinct (mV is not V): a template converts explicitly.
 * "1" or "" is dimensionless.
 *
 * Text: symbols separated by "·", "*" or " ", each with an optional power
 * "^2", "^-1", "²", "³", "⁻¹"; everything after a "/" is in the denominator.
 * A symbol may hold digits after its first character ("%CH4").
 */

#define CB_UNIT_ERROR (cb_unit_error_quark ())

typedef enum
{
  CB_UNIT_ERROR_SYNTAX,    /* names the position and character */
  CB_UNIT_ERROR_MISMATCH,  /* two units that must agree do not */
} CbUnitError;

typedef struct _CbUnit CbUnit;

GQuark      cb_unit_error_quark     (void);
CbUnit     *cb_unit_parse           (const char      *text,
                                     GError         **error);
CbUnit     *cb_unit_new_dimensionless (void);
/* The unit of a number written in an expression: it takes the unit of what
 * it is added to or compared with ("p - 0" is in the unit of p). */
CbUnit     *cb_unit_new_any         (void);
CbUnit     *cb_unit_copy            (const CbUnit    *unit);
void        cb_unit_free            (CbUnit          *unit);
gboolean    cb_unit_is_any          (const CbUnit    *unit);
gboolean    cb_unit_is_dimensionless (const CbUnit   *unit);
/* Any unit equals every unit. */
gboolean    cb_unit_equal           (const CbUnit    *a,
                                     const CbUnit    *b);
CbUnit     *cb_unit_multiply        (const CbUnit    *a,
                                     const CbUnit    *b);
CbUnit     *cb_unit_divide          (const CbUnit    *a,
                                     const CbUnit    *b);
/* @unit to the power @exponent; fails when a power would not be a multiple
 * of ½ ("MPa" to the power ⅓). */
CbUnit     *cb_unit_power           (const CbUnit    *unit,
                                     double           exponent,
                                     GError         **error);
/* Canonical text: numerator symbols in order, then "/" and the rest:
 * "V/A", "m·s^2" is "m·s²"; "1" when dimensionless, "any" for a number. */
char       *cb_unit_to_string       (const CbUnit    *unit);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbUnit, cb_unit_free)

G_END_DECLS
