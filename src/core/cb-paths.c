/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "cb-paths.h"

char *
cb_find_data_dir (const char *variable,
                  const char *build_subdir,
                  const char *installed)
{
  const char *override = g_getenv (variable);

  g_return_val_if_fail (variable != NULL && build_subdir != NULL && installed != NULL, NULL);

  if (override != NULL && *override != '\0')
    return g_strdup (override);
#ifdef CB_BUILD_ROOT
  {
    g_autofree char *program = g_file_read_link ("/proc/self/exe", NULL);

    if (program != NULL && g_str_has_prefix (program, CB_BUILD_ROOT G_DIR_SEPARATOR_S))
      {
        char *dir = g_build_filename (CB_BUILD_ROOT, build_subdir, NULL);

        if (g_file_test (dir, G_FILE_TEST_IS_DIR))
          return dir;
        g_free (dir);
      }
  }
#endif
  return g_strdup (installed);
}
