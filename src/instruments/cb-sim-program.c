/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gi18n-lib.h>

#include "cb-sim.h"

/*
 * calbench-sim: one simulated instrument on a new pty (its path printed on
 * stdout) or a TCP port (the port printed), served until the program is
 * killed, stdin reaches end of file, or a disconnect fault closes the line.
 */

enum
{
  EXIT_OK = 0,
  EXIT_FAILURE_ = 1,
  EXIT_BAD_INPUT = 2,
};

typedef struct
{
  CbSim        *sim;
  int           fd;          /* pty master or listening socket */
  gboolean      listening;
  GCancellable *cancellable;
  GMainLoop    *loop;
} Program;

static gboolean
quit_loop (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static gpointer
serve (gpointer user_data)
{
  Program *program = user_data;

  if (program->listening)
    cb_sim_serve_listener (program->sim, program->fd, program->cancellable, NULL);
  else
    cb_sim_serve_fd (program->sim, program->fd, program->cancellable, NULL);
  g_main_context_invoke (NULL, quit_loop, program->loop);
  return NULL;
}

static gboolean
on_stdin (int           fd,
          GIOCondition  condition,
          gpointer      user_data)
{
  char buffer[256];
  ssize_t n = read (fd, buffer, sizeof buffer);

  if (n > 0)
    return G_SOURCE_CONTINUE;
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static gboolean
on_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static int
fail (int         status,
      const char *message)
{
  fprintf (stderr, "calbench-sim: %s\n", message);
  return status;
}

/* A calibrator and a multimeter wired to it, each on its own pty. */
static int
run_bench (guint32  seed,
           gboolean no_stdin)
{
  g_autoptr(CbSim) calibrator = cb_sim_new (CB_SIM_CALIBRATOR, seed);
  g_autoptr(CbSim) multimeter = cb_sim_new (CB_SIM_DMM, seed + 1);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *calibrator_path = NULL;
  g_autofree char *multimeter_path = NULL;
  Program programs[2] = { { 0 }, { 0 } };
  int slaves[2] = { -1, -1 };
  GThread *threads[2];

  cb_sim_connect (multimeter, calibrator);
  if (!cb_sim_open_pty (&programs[0].fd, &slaves[0], &calibrator_path, &error)
      || !cb_sim_open_pty (&programs[1].fd, &slaves[1], &multimeter_path, &error))
    return fail (EXIT_FAILURE_, error->message);
  printf ("calibrator %s\nmultimeter %s\n", calibrator_path, multimeter_path);
  fflush (stdout);

  programs[0].sim = calibrator;
  programs[1].sim = multimeter;
  for (guint i = 0; i < 2; i++)
    {
      programs[i].cancellable = cancellable;
      programs[i].loop = loop;
    }
  if (!no_stdin)
    g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, on_stdin, loop);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_unix_signal_add (SIGTERM, on_signal, loop);

  threads[0] = g_thread_new ("calibrator", serve, &programs[0]);
  threads[1] = g_thread_new ("multimeter", serve, &programs[1]);
  g_main_loop_run (loop);
  g_cancellable_cancel (cancellable);
  for (guint i = 0; i < 2; i++)
    {
      g_thread_join (threads[i]);
      close (slaves[i]);
    }
  return EXIT_OK;
}

int
cb_sim_program_run (int    argc,
                    char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbSim) sim = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autofree char *instrument = NULL;
  g_autofree char *fault_name = NULL;
  g_autofree char *path = NULL;
  gint64 seed = 1;
  int tcp_port = -1;
  int fault_after = 0;
  int fault_count = 0;
  double fault_probability = 1.0;
  double input = NAN;
  gboolean no_stdin = FALSE;
  gboolean bench = FALSE;
  CbSimKind kind = CB_SIM_DMM;
  CbSimFault fault = { CB_SIM_FAULT_NONE, 0, 1.0, 0 };
  Program program = { 0 };
  int slave = -1;
  GThread *thread;
  GOptionEntry entries[] = {
    { "instrument", 'i', 0, G_OPTION_ARG_STRING, &instrument,
      N_("dmm, calibrator, pressure or thermohygrometer (default dmm)"), "KIND" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Seed of the noise (default 1)"), "N" },
    { "tcp", 0, 0, G_OPTION_ARG_INT, &tcp_port, N_("Listen on this TCP port of 127.0.0.1 instead of a pty (0: any free port)"), "PORT" },
    { "fault", 0, 0, G_OPTION_ARG_STRING, &fault_name, N_("Inject garbage, stall, disconnect or bad-crc"), "KIND" },
    { "fault-after", 0, 0, G_OPTION_ARG_INT, &fault_after, N_("Faults start after this many replies"), "N" },
    { "fault-probability", 0, 0, G_OPTION_ARG_DOUBLE, &fault_probability, N_("Probability of a fault per reply (default 1)"), "P" },
    { "fault-count", 0, 0, G_OPTION_ARG_INT, &fault_count, N_("At most this many faults (default: no limit)"), "N" },
    { "input", 0, 0, G_OPTION_ARG_DOUBLE, &input, N_("What the multimeter measures, in its function's unit (default 1)"), "VALUE" },
    { "no-stdin", 0, 0, G_OPTION_ARG_NONE, &no_stdin, N_("Serve until killed, whatever stdin does"), NULL },
    { "bench", 0, 0, G_OPTION_ARG_NONE, &bench,
      N_("An electrical bench: a calibrator and a multimeter that measures it, each on its own pty (two lines: calibrator PATH, multimeter PATH)"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("CALBENCH_LOCALEDIR") ? g_getenv ("CALBENCH_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  setlocale (LC_NUMERIC, "C");
  g_set_prgname ("calbench-sim");

  context = g_option_context_new (_("— a simulated instrument on a pty or TCP port"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail (EXIT_BAD_INPUT, error->message);
  if (argc > 1)
    {
      g_autofree char *message = g_strdup_printf (_("unexpected argument “%s”"), argv[1]);

      return fail (EXIT_BAD_INPUT, message);
    }
  if (instrument != NULL && !cb_sim_kind_from_name (instrument, &kind))
    {
      g_autofree char *message = g_strdup_printf (_("--instrument: expected dmm, calibrator, pressure or thermohygrometer, found “%s”"),
                                                  instrument);

      return fail (EXIT_BAD_INPUT, message);
    }
  if (fault_name != NULL && !cb_sim_fault_kind_from_name (fault_name, &fault.kind))
    {
      g_autofree char *message = g_strdup_printf (_("--fault: expected garbage, stall, disconnect or bad-crc, found “%s”"),
                                                  fault_name);

      return fail (EXIT_BAD_INPUT, message);
    }
  if (fault_after < 0 || fault_count < 0 || !(fault_probability >= 0 && fault_probability <= 1) ||
      tcp_port > 65535 || seed < 0 || seed > G_MAXUINT32)
    return fail (EXIT_BAD_INPUT, _("--fault-after and --fault-count take a count, --fault-probability a "
                                   "number from 0 to 1, --tcp a port up to 65535, --seed a number from 0 to 4294967295"));
  fault.after = (guint) fault_after;
  fault.limit = (guint) fault_count;
  fault.probability = fault_probability;

  if (bench)
    return run_bench ((guint32) seed, no_stdin);

  sim = cb_sim_new (kind, (guint32) seed);
  cb_sim_set_fault (sim, &fault);
  if (!isnan (input))
    cb_sim_set_input (sim, input);

  if (tcp_port >= 0)
    {
      guint16 bound = 0;

      program.fd = cb_sim_listen_tcp ((guint16) tcp_port, &bound, &error);
      if (program.fd < 0)
        return fail (EXIT_FAILURE_, error->message);
      program.listening = TRUE;
      printf ("%u\n", bound);
    }
  else
    {
      /* The slave stays open here, so the line survives clients that come
       * and go. */
      if (!cb_sim_open_pty (&program.fd, &slave, &path, &error))
        return fail (EXIT_FAILURE_, error->message);
      printf ("%s\n", path);
    }
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  cancellable = g_cancellable_new ();
  program.sim = sim;
  program.cancellable = cancellable;
  program.loop = loop;
  if (!no_stdin)
    g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, on_stdin, loop);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_unix_signal_add (SIGTERM, on_signal, loop);

  thread = g_thread_new ("simulator", serve, &program);
  g_main_loop_run (loop);
  g_cancellable_cancel (cancellable);
  g_thread_join (thread);

  if (program.listening)
    close (program.fd);
  if (slave >= 0)
    close (slave);
  return EXIT_OK;
}
