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

/* The bench's room is within the limits of the methods measured there. */
#define BENCH_ROOM_TEMPERATURE 20.0

/* A calibrator and a multimeter wired to it, and the room's sensor, each
 * on its own pty. */
static int
run_bench (guint32  seed,
           gboolean no_stdin)
{
  static const char * const names[] = { "calibrator", "multimeter", "sensor" };
  CbSim *sims[G_N_ELEMENTS (names)] = {
    cb_sim_new (CB_SIM_CALIBRATOR, seed),
    cb_sim_new (CB_SIM_DMM, seed + 1),
    cb_sim_new (CB_SIM_THERMOHYGROMETER, seed + 2),
  };
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  Program programs[G_N_ELEMENTS (names)] = { { 0 } };
  int slaves[G_N_ELEMENTS (names)];
  GThread *threads[G_N_ELEMENTS (names)];
  int status = EXIT_OK;

  cb_sim_connect (sims[1], sims[0]);
  cb_sim_set_room_temperature (sims[2], BENCH_ROOM_TEMPERATURE);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = NULL;

      slaves[i] = -1;
      if (status == EXIT_OK && !cb_sim_open_pty (&programs[i].fd, &slaves[i], &path, &error))
        status = fail (EXIT_FAILURE_, error->message);
      else if (status == EXIT_OK)
        printf ("%s %s\n", names[i], path);
    }
  if (status != EXIT_OK)
    {
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        cb_sim_free (sims[i]);
      return status;
    }
  fflush (stdout);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      programs[i].sim = sims[i];
      programs[i].cancellable = cancellable;
      programs[i].loop = loop;
    }
  if (!no_stdin)
    g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR, on_stdin, loop);
  g_unix_signal_add (SIGINT, on_signal, loop);
  g_unix_signal_add (SIGTERM, on_signal, loop);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    threads[i] = g_thread_new (names[i], serve, &programs[i]);
  g_main_loop_run (loop);
  g_cancellable_cancel (cancellable);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_thread_join (threads[i]);
      close (slaves[i]);
    }
  /* The multimeter reads the calibrator: it goes first. */
  for (guint i = G_N_ELEMENTS (names); i > 0; i--)
    cb_sim_free (sims[i - 1]);
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
  double room = NAN;
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
      N_("An electrical bench: a calibrator, a multimeter that measures it and the room's sensor at 20 °C, each on its own pty (three lines: calibrator PATH, multimeter PATH, sensor PATH)"), NULL },
    { "room-temperature", 0, 0, G_OPTION_ARG_DOUBLE, &room, N_("The thermohygrometer's room temperature in °C (default 23)"), "T" },
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
  if (!isnan (room) && !(room >= -40 && room <= 80))
    return fail (EXIT_BAD_INPUT, _("--room-temperature: expected a temperature from -40 to 80 °C, the sensor's range"));
  fault.after = (guint) fault_after;
  fault.limit = (guint) fault_count;
  fault.probability = fault_probability;

  if (bench)
    return run_bench ((guint32) seed, no_stdin);

  sim = cb_sim_new (kind, (guint32) seed);
  cb_sim_set_fault (sim, &fault);
  if (!isnan (input))
    cb_sim_set_input (sim, input);
  if (!isnan (room))
    cb_sim_set_room_temperature (sim, room);

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
