/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <locale.h>

#include <glib/gi18n-lib.h>

#include "cb-i18n.h"

static gboolean
is_c_locale (const char *locale)
{
  return locale == NULL || g_str_equal (locale, "C") || g_str_equal (locale, "POSIX");
}

static char *
find_localedir (void)
{
  const char *override = g_getenv ("CALBENCH_LOCALEDIR");

  if (override != NULL && *override != '\0')
    return g_strdup (override);
#ifdef CB_BUILD_ROOT
  {
    g_autofree char *program = g_file_read_link ("/proc/self/exe", NULL);

    if (program != NULL && g_str_has_prefix (program, CB_BUILD_ROOT G_DIR_SEPARATOR_S))
      {
        char *localedir = g_build_filename (CB_BUILD_ROOT, "po", NULL);

        if (g_file_test (localedir, G_FILE_TEST_IS_DIR))
          return localedir;
        g_free (localedir);
      }
  }
#endif
  return g_strdup (LOCALEDIR);
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
  g_autofree char *localedir = find_localedir ();

  setlocale (LC_ALL, "");
  let_language_apply ();
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
