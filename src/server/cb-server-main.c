/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <locale.h>
#include <stdio.h>

#include <glib/gi18n-lib.h>
#include <glib-unix.h>

#include "cb-server.h"
#include "core/cb-i18n.h"

static gboolean
on_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

int
cb_server_main (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbServerConfig) config = NULL;
  g_autoptr(CbServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *demo_dir = NULL;
  g_autofree char *url = NULL;
  GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path, N_("The configuration file"), "FILE" },
    { "demo", 0, 0, G_OPTION_ARG_FILENAME, &demo_dir,
      N_("Make (or reuse) a demo lab in DIR and serve it on loopback"), "DIR" },
    { NULL }
  };

  cb_i18n_init ();
  setlocale (LC_NUMERIC, "C");
  g_set_prgname ("calbench-server");
  /* Every message to stderr (the journal): stdout carries only the URL. */
  g_log_writer_default_set_use_stderr (TRUE);
  /* Before any TLS connection exists in the process. */
  cb_server_init_tls ();

  context = g_option_context_new (_("— the Calbench lab server"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "calbench-server: %s\n", error->message);
      return 2;
    }
  if ((config_path == NULL) == (demo_dir == NULL))
    {
      fprintf (stderr, "calbench-server: %s\n", _("give either --config FILE or --demo DIR"));
      return 2;
    }
  if (demo_dir != NULL)
    {
      g_autofree char *existing = g_build_filename (demo_dir, "server.conf", NULL);

      config_path = g_file_test (existing, G_FILE_TEST_EXISTS) ? g_steal_pointer (&existing)
                                                                : cb_server_make_demo (demo_dir, &error);
      if (config_path == NULL)
        {
          fprintf (stderr, "calbench-server: %s\n", error->message);
          return 1;
        }
    }

  config = cb_server_config_load (config_path, &error);
  if (config == NULL || (server = cb_server_new (config, &error)) == NULL
      || (config->certificate_keys != NULL
          && !cb_server_use_certificate_keys (server, config->certificate_keys, config->certificate_lab, &error))
      || !cb_server_listen (server, &error))
    {
      fprintf (stderr, "calbench-server: %s\n", error->message);
      return 1;
    }

  url = cb_server_get_url (server);
  /* The first line on stdout is the address: scripts and tests read it. */
  printf ("%s\n", url);
  fflush (stdout);
  g_message ("listening on %s with %s", url, config->database);
  if (config->certificate_keys == NULL)
    g_message ("no [certificates] keys: certificates are not issued here");
  if (demo_dir != NULL)
    g_message ("demo accounts' password: %s; TLS certificate to trust: %s", "calbench-demo", config->tls_certificate);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_unix_signal_add (SIGTERM, on_signal, loop);
  g_main_loop_run (loop);
  g_message ("stopped");
  return 0;
}
