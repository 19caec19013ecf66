/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* What one run of the real calbench-cli gave. */
typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

void        run_clear   (Run        *run);
/* Runs calbench-cli with @command (may be NULL) followed by the
 * NULL-terminated arguments; clears @run first. */
void        run_cli_v   (Run        *run,
                         const char *command,
                         const char *first_arg,
                         va_list     args);
JsonObject *parse_json  (const char *text);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

G_END_DECLS
