/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "cb-rounding.h"

G_BEGIN_DECLS

/*
 * Numbers as the workstation shows them.  Every digit goes through the core's
 * decimal rounding (cb-rounding.h), never through printf, so what a user reads
 * on screen is what the rounding rules give.  Display strings use the minus
 * sign "−" and superscript powers of ten ("2.6×10⁻⁶"); entry strings stay in
 * ASCII so that they read back with cb_decimal_parse().
 */

/* A decimal for display: plain when that shows exactly its digits, else
 * scientific. */
char     *cb_format_decimal        (const CbDecimal  *decimal);
/* The shortest decimal that reads back as @value, for display. */
char     *cb_format_exact          (double            value);
/* A computed value as exact as is readable: at most 9 significant digits,
 * without trailing zeros ("10.2", not "10.200000000000001"). */
char     *cb_format_value          (double            value);
/* @value to @digits significant digits. */
char     *cb_format_significant    (double            value,
                                    guint             digits);
/* @value rounded at 10^@place (place -2 rounds at 0.01), in plain notation
 * while that stays short: the place is meant to be clear from beside it. */
char     *cb_format_at_place       (double            value,
                                    int               place);
/* The place of the last of @digits significant digits of @value; FALSE for
 * zero and non-finite values. */
gboolean  cb_format_place_of       (double            value,
                                    guint             digits,
                                    int              *place);
/* Degrees of freedom: "∞", "18", "5.6". */
char     *cb_format_dof            (double            dof);
/* A coverage probability as a percentage with up to two decimals and no
 * trailing zeros: "95 %", "95.45 %". */
char     *cb_format_probability    (double            p);
/* A fraction as a percentage with one decimal: "62.4 %". */
char     *cb_format_percent        (double            fraction);
/* JJF 1059.1 reporting of y with its expanded uncertainty U: both rounded
 * by cb_report_result(); @place receives the last place of U. */
gboolean  cb_format_report         (double            value,
                                    double            expanded,
                                    char            **value_out,
                                    char            **expanded_out,
                                    int              *place,
                                    GError          **error);
/* The shortest ASCII text that reads back as @value ("0.1", "1.15e-5"),
 * for entries and files; NULL for NaN and infinities. */
char     *cb_format_for_entry      (double            value);

G_END_DECLS
