/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/*
 * The calbench application: its actions (quit, about), settings, gettext
 * set-up and the --screenshot mode that renders every page to PNG files.
 */

#define CB_TYPE_APPLICATION (cb_application_get_type ())

G_DECLARE_FINAL_TYPE (CbApplication, cb_application, CB, APPLICATION, AdwApplication)

/* Sets the locale and binds the message catalog, from the build tree when
 * the program runs from it; call first thing in main(), before GTK starts. */
void            cb_application_setup_i18n       (void);
CbApplication  *cb_application_new             (void);
/* NULL when the schema is not installed (the program then keeps nothing). */
GSettings      *cb_application_get_settings    (CbApplication *self);
/* Non-zero when the screenshot mode failed. */
int             cb_application_get_exit_status (CbApplication *self);
/* The user interface language as a catalog name ("en", "zh_CN"). */
char           *cb_application_dup_language    (void);

G_END_DECLS
