/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <locale.h>

#include <glib/gi18n-lib.h>

#include "cb-i18n.h"
#include "cb-paths.h"

static gboolean
is_c_locale (const char *locale)
{
  return locale == NULL || g_str_equal (locale, "C") || g_str_equal (locale, "POSIX");
}

/* gettext ignores LANGUAGE under the C locale; C.UTF-8 behaves as C in
 * all else. */
static void
let_language_apply (void)
{
  const char *language = g_getenv ("LANGUAGE");

  if (language != NULL && *language != '\0' && is_c_locale (setlocale (LC_MESSAGES, NULL)))
    setlocale (LC_MESSAGES, "C.UTF-8");
}

void
cb_i18n_set_language (const char *language)
{
  g_return_if_fail (language != NULL);

  g_setenv ("LANGUAGE", language, TRUE);
  let_language_apply ();
}

void
cb_i18n_init (void)
{
  g_autofree char *localedir = cb_find_data_dir ("CALBENCH_LOCALEDIR", "po", LOCALEDIR);

  setlocale (LC_ALL, "");
  let_language_apply ();
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
