/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n-lib.h>

#include "cb-cli-private.h"
#include "store/cb-store-demo.h"

static int
demo_init (int    argc,
           char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbStore) store = NULL;
  g_autofree char *db = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, N_("The new lab database"), "FILE" },
    { NULL }
  };

  context = g_option_context_new (_("— create a demo laboratory in a new database"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!cb_cli_parse_options (context, &argc, &argv, 0, NULL))
    return CB_CLI_EXIT_BAD_INPUT;
  if (db == NULL)
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--db is required"));
  /* Never mixes demo data into a real lab's file. */
  if (g_file_test (db, G_FILE_TEST_EXISTS))
    return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("--db %s: the file exists; the demo lab goes into a new file"), db);

  store = cb_store_open (db, &error);
  if (store == NULL)
    return cb_cli_fail_error (CB_CLI_EXIT_FAILURE, error);
  if (!cb_store_demo_populate (store, &error))
    return cb_cli_fail_error (CB_CLI_EXIT_FAILURE, error);

  printf (_("Demo laboratory created in %s. Every demo account's password is “%s”.\n"), db, CB_DEMO_PASSWORD);
  return CB_CLI_EXIT_OK;
}

int
cb_cli_demo (int    argc,
             char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "init"))
    return demo_init (argc - 1, argv + 1);
  return cb_cli_fail (CB_CLI_EXIT_BAD_INPUT, _("demo: expected “init --db FILE”"));
}
