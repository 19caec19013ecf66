/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sets the locale and the message catalogs of a Calbench program: the
 * language LANGUAGE names applies even on a machine with no locale set
 * (a service's usual case); CALBENCH_LOCALEDIR names where the catalogs
 * are, else a program run from the build tree reads the ones built there. */
void cb_i18n_init         (void);
/* Messages from now on in @language ("zh_CN", "en"), as LANGUAGE says. */
void cb_i18n_set_language (const char *language);

G_END_DECLS
