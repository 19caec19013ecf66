/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <glib/gstdio.h>
#include <string.h>

#include "cb-instrument-panel.h"
#include "cb-session.h"
#include "instruments/cb-instrument.h"
#include "instruments/cb-transport.h"
#include "store/cb-store-demo.h"

/* One demo lab for every test: it takes a few seconds to make. */
static char *lab_dir;
static char *lab_path;

/* The simulated bench: a calibrator and a multimeter on their own ptys. */
typedef struct
{
  GSubprocess *sim;
  char        *calibrator;
  char        *multimeter;
} Bench;

static void
bench_start (Bench *bench)
{
  const char *argv[] = { CALBENCH_SIM, "--bench", "--seed", "7", NULL };
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *calibrator = NULL;
  g_autofree char *multimeter = NULL;

  bench->sim = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (bench->sim));
  calibrator = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  multimeter = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (calibrator, "calibrator "));
  g_assert_true (g_str_has_prefix (multimeter, "multimeter "));
  bench->calibrator = g_strdup (calibrator + strlen ("calibrator "));
  bench->multimeter = g_strdup (multimeter + strlen ("multimeter "));
}

/* Closing its stdin stops the simulator. */
static void
bench_stop (Bench *bench)
{
  if (bench->sim == NULL)
    return;
  g_output_stream_close (g_subprocess_get_stdin_pipe (bench->sim), NULL, NULL);
  g_subprocess_wait (bench->sim, NULL, NULL);
  g_clear_object (&bench->sim);
}

static void
bench_clear (Bench *bench)
{
  bench_stop (bench);
  g_free (bench->calibrator);
  g_free (bench->multimeter);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Bench, bench_clear)

static CbSession *
new_session (void)
{
  g_autoptr(GError) error = NULL;
  CbSession *session = cb_session_open (lab_path, &error);

  g_assert_no_error (error);
  return session;
}

/* The panel in a window of its own, shown: readings run while it is mapped. */
static CbInstrumentPanel *
show_panel (CbSession  *session,
            GtkWidget **window)
{
  CbInstrumentPanel *panel = cb_instrument_panel_new ();

  *window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (*window), 700, 300);
  gtk_window_set_child (GTK_WINDOW (*window), GTK_WIDGET (panel));
  cb_instrument_panel_set_session (panel, session);
  gtk_window_present (GTK_WINDOW (*window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (panel)))
    g_main_context_iteration (NULL, TRUE);
  return panel;
}

/* Destroys the window with whatever I/O is under way, and waits until the
 * last callback let the panel go: no port stays open. */
static void
destroy_panel (CbInstrumentPanel *panel,
               GtkWidget         *window)
{
  gpointer weak = panel;

  g_object_add_weak_pointer (G_OBJECT (panel), &weak);
  gtk_window_destroy (GTK_WINDOW (window));
  while (weak != NULL)
    g_main_context_iteration (NULL, TRUE);
}

static GtkWidget *
live_switch (CbInstrumentPanel *panel)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (panel), CB_TYPE_INSTRUMENT_PANEL, "live_switch"));
}

static GtkWidget *
find_named (GtkWidget  *widget,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The row of @role (rows are named after their roles), or NULL. */
static GtkWidget *
find_row (CbInstrumentPanel *panel,
          const char        *role)
{
  GtkWidget *list = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (panel), CB_TYPE_INSTRUMENT_PANEL,
                                                               "list"));

  for (GtkWidget *child = gtk_widget_get_first_child (list); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (g_strcmp0 (gtk_widget_get_name (child), role) == 0)
      return child;
  return NULL;
}

static GtkLabel *
row_label (CbInstrumentPanel *panel,
           const char        *role,
           const char        *name)
{
  GtkWidget *row = find_row (panel, role);
  GtkWidget *label;

  g_assert_nonnull (row);
  label = find_named (row, name);
  g_assert_true (GTK_IS_LABEL (label));
  return GTK_LABEL (label);
}

static const char *
row_state (CbInstrumentPanel *panel,
           const char        *role)
{
  return gtk_label_get_text (row_label (panel, role, "state"));
}

static const char *
row_reading (CbInstrumentPanel *panel,
             const char        *role)
{
  return gtk_label_get_text (row_label (panel, role, "reading"));
}

static void
wait_for_state (CbInstrumentPanel *panel,
                const char        *role,
                const char        *prefix)
{
  while (!g_str_has_prefix (row_state (panel, role), prefix))
    g_main_context_iteration (NULL, TRUE);
}

static void
wait_for_reading (CbInstrumentPanel *panel,
                  const char        *role)
{
  while (*row_reading (panel, role) == '\0')
    g_main_context_iteration (NULL, TRUE);
}

static void
wait_for_ports_closed (CbInstrumentPanel *panel)
{
  while (cb_instrument_panel_get_n_open_ports (panel) > 0)
    g_main_context_iteration (NULL, TRUE);
}

/* "+1.00000123E+00 V": the instrument's digits, then the unit. */
static void
assert_reading_is_number (const char *text,
                          const char *unit)
{
  char *end = NULL;

  g_ascii_strtod (text, &end);
  g_assert_true (end != text);
  g_assert_cmpstr (end, ==, unit);
}

static void
on_wait_closed (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (cb_instrument_panel_wait_closed_finish (CB_INSTRUMENT_PANEL (source_object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
on_label_notify (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  guint *updates = user_data;

  (*updates)++;
}

static void
on_measured (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Live on: the multimeter's identity and a reading, the calibrator's
 * identity and no reading; live off lets the ports go. */
static void
test_live_readings (void)
{
  g_auto(Bench) bench = { 0 };
  g_autoptr(CbSession) session = new_session ();
  GtkWidget *window;
  CbInstrumentPanel *panel;
  GtkSwitch *live;
  const char *state;
  guint updates = 0;

  bench_start (&bench);
  cb_session_set_instrument_port (session, "calibrator", bench.calibrator);
  cb_session_set_instrument_port (session, "uut", bench.multimeter);
  panel = show_panel (session, &window);
  live = GTK_SWITCH (live_switch (panel));

  /* Only the roles that have a port, nothing opened before live is on. */
  g_assert_nonnull (find_row (panel, "calibrator"));
  g_assert_nonnull (find_row (panel, "uut"));
  g_assert_null (find_row (panel, "pressure"));
  g_assert_null (find_row (panel, "sensor"));
  g_assert_cmpstr (row_state (panel, "uut"), ==, "Not connected");
  g_assert_cmpuint (cb_instrument_panel_get_n_open_ports (panel), ==, 0);

  /* The switch is what turns it on. */
  gtk_switch_set_active (live, TRUE);
  g_assert_true (cb_instrument_panel_get_live (panel));
  g_assert_cmpstr (row_state (panel, "uut"), ==, "Connecting…");

  wait_for_state (panel, "uut", "Connected");
  wait_for_reading (panel, "uut");
  state = row_state (panel, "uut");
  g_assert_nonnull (strstr (state, "34461A"));
  g_assert_nonnull (strstr (state, "MY53207382"));
  assert_reading_is_number (row_reading (panel, "uut"), " V");

  /* Read again and again while live (the simulated noise changes the
   * digits). */
  g_signal_connect (row_label (panel, "uut", "reading"), "notify::label", G_CALLBACK (on_label_notify), &updates);
  while (updates < 2)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handlers_disconnect_by_data (row_label (panel, "uut", "reading"), &updates);
  assert_reading_is_number (row_reading (panel, "uut"), " V");

  wait_for_state (panel, "calibrator", "Connected");
  g_assert_nonnull (strstr (row_state (panel, "calibrator"), "5520A"));
  g_assert_cmpstr (row_reading (panel, "calibrator"), ==, "");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (row_label (panel, "calibrator", "reading"))));

  /* The session given again with the same ports: the rows and their
   * connections stay. */
  {
    GtkWidget *row = find_row (panel, "uut");

    cb_instrument_panel_set_session (panel, session);
    g_assert_true (find_row (panel, "uut") == row);
    g_assert_true (g_str_has_prefix (row_state (panel, "uut"), "Connected"));
    g_assert_true (gtk_widget_get_next_sibling (find_row (panel, "calibrator")) == row);
  }

  /* Off: every connection closes. */
  gtk_switch_set_active (live, FALSE);
  g_assert_cmpstr (row_state (panel, "uut"), ==, "Not connected");
  g_assert_cmpstr (row_state (panel, "calibrator"), ==, "Not connected");
  g_assert_cmpstr (row_reading (panel, "uut"), ==, "");
  wait_for_ports_closed (panel);

  /* On again, then the window goes away while readings are under way. */
  cb_instrument_panel_set_live (panel, TRUE);
  g_assert_true (gtk_switch_get_active (live));
  wait_for_reading (panel, "uut");
  destroy_panel (panel, window);
}

/* A port that is not there: an error that names it, a Reconnect that tries
 * again. */
static void
test_missing_port (void)
{
  g_autoptr(CbSession) session = new_session ();
  GtkWidget *window;
  CbInstrumentPanel *panel;
  GtkWidget *reconnect;

  cb_session_set_instrument_port (session, "uut", "/nonexistent/tty");
  panel = show_panel (session, &window);
  reconnect = find_named (find_row (panel, "uut"), "reconnect");
  g_assert_true (GTK_IS_BUTTON (reconnect));
  g_assert_false (gtk_widget_get_visible (reconnect));

  cb_instrument_panel_set_live (panel, TRUE);
  wait_for_state (panel, "uut", "Error: ");
  g_assert_nonnull (strstr (row_state (panel, "uut"), "/nonexistent/tty"));
  g_assert_cmpstr (row_reading (panel, "uut"), ==, "");
  g_assert_true (gtk_widget_get_visible (reconnect));
  wait_for_ports_closed (panel);

  g_signal_emit_by_name (reconnect, "clicked");
  g_assert_cmpstr (row_state (panel, "uut"), ==, "Connecting…");
  g_assert_false (gtk_widget_get_visible (reconnect));
  wait_for_state (panel, "uut", "Error: ");
  g_assert_nonnull (strstr (row_state (panel, "uut"), "/nonexistent/tty"));
  g_assert_true (gtk_widget_get_visible (reconnect));

  destroy_panel (panel, window);
}

/* Busy: the panel lets the ports go and says why; the procedure then has
 * the multimeter to itself.  Afterwards it reads again, and a multimeter
 * that goes away is an error with a Reconnect, not a crash. */
static void
test_busy (void)
{
  g_auto(Bench) bench = { 0 };
  g_autoptr(CbSession) session = new_session ();
  g_autoptr(GError) error = NULL;
  GtkWidget *window;
  CbInstrumentPanel *panel;
  gboolean closed = FALSE;

  bench_start (&bench);
  cb_session_set_instrument_port (session, "calibrator", bench.calibrator);
  cb_session_set_instrument_port (session, "uut", bench.multimeter);
  panel = show_panel (session, &window);
  cb_instrument_panel_set_live (panel, TRUE);
  wait_for_state (panel, "calibrator", "Connected");
  wait_for_state (panel, "uut", "Connected");
  wait_for_reading (panel, "uut");

  cb_instrument_panel_set_busy (panel, TRUE);
  g_assert_true (cb_instrument_panel_get_busy (panel));
  g_assert_cmpstr (row_state (panel, "uut"), ==, "In use by the procedure");
  g_assert_cmpstr (row_state (panel, "calibrator"), ==, "In use by the procedure");
  g_assert_cmpstr (row_reading (panel, "uut"), ==, "");
  g_assert_false (gtk_widget_get_sensitive (live_switch (panel)));
  cb_instrument_panel_wait_closed_async (panel, NULL, on_wait_closed, &closed);
  while (!closed)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (cb_instrument_panel_get_n_open_ports (panel), ==, 0);

  /* The procedure's turn: it identifies and reads the multimeter while the
   * main loop runs, and the panel neither reads nor opens anything. */
  {
    CbTransport *transport = cb_transport_open (bench.multimeter, NULL, NULL, &error);
    g_autoptr(CbInstrument) dmm = NULL;
    g_autoptr(CbReading) reading = NULL;
    GAsyncResult *result = NULL;

    g_assert_no_error (error);
    dmm = cb_instrument_open (transport, cb_driver_find ("dmm"), NULL, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < 3; i++)
      {
        g_clear_pointer (&reading, cb_reading_free);
        cb_instrument_measure_async (dmm, NULL, on_measured, &result);
        while (result == NULL)
          {
            g_main_context_iteration (NULL, TRUE);
            g_assert_cmpstr (row_reading (panel, "uut"), ==, "");
            g_assert_cmpuint (cb_instrument_panel_get_n_open_ports (panel), ==, 0);
          }
        reading = cb_instrument_measure_finish (dmm, result, &error);
        g_clear_object (&result);
        g_assert_no_error (error);
        g_assert_false (reading->overload);
      }
    g_assert_cmpstr (row_state (panel, "uut"), ==, "In use by the procedure");
  }

  /* Done: live was on, so the panel connects again. */
  cb_instrument_panel_set_busy (panel, FALSE);
  g_assert_cmpstr (row_state (panel, "uut"), ==, "Connecting…");
  g_assert_true (gtk_widget_get_sensitive (live_switch (panel)));
  wait_for_state (panel, "uut", "Connected");
  wait_for_reading (panel, "uut");
  assert_reading_is_number (row_reading (panel, "uut"), " V");

  /* The bench switched off under it. */
  bench_stop (&bench);
  wait_for_state (panel, "uut", "Error: ");
  g_assert_nonnull (strstr (row_state (panel, "uut"), bench.multimeter));
  g_assert_true (gtk_widget_get_visible (find_named (find_row (panel, "uut"), "reconnect")));
  g_assert_cmpstr (row_reading (panel, "uut"), ==, "");

  destroy_panel (panel, window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  CbStore *store;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  lab_dir = g_dir_make_tmp ("calbench-ui-panel-XXXXXX", NULL);
  lab_path = g_build_filename (lab_dir, "lab.db", NULL);
  store = cb_store_open (lab_path, &error);
  g_assert_no_error (error);
  g_assert_true (cb_store_demo_populate (store, &error));
  g_assert_no_error (error);
  cb_store_close (store);

  g_test_add_func ("/ui/instrument-panel/live-readings", test_live_readings);
  g_test_add_func ("/ui/instrument-panel/missing-port", test_missing_port);
  g_test_add_func ("/ui/instrument-panel/busy", test_busy);

  status = g_test_run ();

  {
    const char *suffixes[] = { "", "-wal", "-shm" };

    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *path = g_strconcat (lab_path, suffixes[i], NULL);

        g_unlink (path);
      }
    g_rmdir (lab_dir);
  }
  g_free (lab_path);
  g_free (lab_dir);
  return status;
}
