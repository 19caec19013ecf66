/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "cb-instrument-panel.h"
#include "instruments/cb-instrument.h"

/* About once a second: a reading takes a fraction of that on the bench. */
#define REFRESH_INTERVAL_MS 1000

/* The roles of the bench's instruments, under the names the session and the
 * procedures give them. */
typedef struct
{
  const char *role;
  const char *driver;     /* for cb_driver_find() */
  const char *name;       /* marked with N_() */
  gboolean    measures;   /* read live; the calibrator only says who it is */
  CbQuantity  quantity;   /* what a measuring instrument is set up for */
} RoleInfo;

static const RoleInfo roles[] = {
  { "calibrator", "calibrator", N_("Calibrator"), FALSE, CB_QUANTITY_DC_VOLTAGE },
  { "uut", "dmm", N_("Multimeter"), TRUE, CB_QUANTITY_DC_VOLTAGE },
  { "pressure", "pressure", N_("Pressure controller"), TRUE, CB_QUANTITY_PRESSURE },
  { "sensor", "thermohygrometer", N_("Temperature and humidity sensor"), TRUE, CB_QUANTITY_TEMPERATURE },
};

typedef enum
{
  ROW_IDLE,
  ROW_CONNECTING,
  ROW_CONNECTED,
  ROW_ERROR,
} RowState;

/* One role's row.  Reference counted: the worker tasks of the row hold a
 * reference, and their callbacks find the row dropped once the panel let
 * it go (then they touch no widget).  One task at a time works on a row's
 * port (pending), so a port is never opened twice by the panel. */
typedef struct
{
  CbInstrumentPanel *panel;           /* NULL once dropped */
  const RoleInfo    *info;
  char              *port;
  RowState           state;
  char              *message;         /* the error, or what is connected */
  CbInstrument      *instrument;      /* while connected */
  GCancellable      *cancellable;     /* of the connect or measure under way */
  guint              pending;         /* tasks working on the port */
  gboolean           close_wanted;    /* once pending is 0 */
  gboolean           connect_wanted;  /* once pending is 0, after closing */
  CbEnvironmentLogger *logger;        /* the session's, when it owns the port */

  AdwActionRow      *row;
  GtkLabel          *state_label;
  GtkLabel          *reading_label;
  GtkWidget         *reconnect_button;
} Row;

struct _CbInstrumentPanel
{
  GtkWidget     parent_instance;

  /* Template children */
  GtkSwitch    *live_switch;
  GtkLabel     *status_label;
  GtkListBox   *list;

  CbSession    *session;
  GPtrArray    *rows;          /* Row, shown in this order */
  gboolean      live;
  gboolean      busy;
  guint         tick_id;
  guint         n_open;        /* ports open, opening or closing */
  GPtrArray    *waiters;       /* GTask of wait_closed_async */
};

G_DEFINE_FINAL_TYPE (CbInstrumentPanel, cb_instrument_panel, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LIVE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void start_measure (CbInstrumentPanel *self,
                           Row               *row);
static void settle_row    (CbInstrumentPanel *self,
                           Row               *row);

static void show_row      (CbInstrumentPanel *self,
                           Row               *row);

/* Helpers */

static Row *
row_ref (Row *row)
{
  return g_rc_box_acquire (row);
}

static void
row_clear (Row *row)
{
  g_assert (row->instrument == NULL);
  g_assert (row->cancellable == NULL);
  g_assert (row->logger == NULL);
  g_free (row->port);
  g_free (row->message);
}

static void
row_unref (Row *row)
{
  g_rc_box_release_full (row, (GDestroyNotify) row_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Row, row_unref)

/* "Keysight Technologies 34461A, serial MY53207382" from an *IDN? reply;
 * other identities (Modbus) as they are. */
static char *
describe_instrument (CbInstrument *instrument)
{
  const char *identity = cb_instrument_get_identity (instrument);
  const char *model = cb_instrument_get_model (instrument);
  g_auto(GStrv) fields = NULL;

  if (identity == NULL)
    identity = model != NULL ? model : "";
  fields = g_strsplit (identity, ",", 4);
  if (g_strv_length (fields) >= 3)
    {
      const char *maker = g_strstrip (fields[0]);
      const char *serial = g_strstrip (fields[2]);

      if (model == NULL)
        model = g_strstrip (fields[1]);
      if (*serial != '\0' && !g_str_equal (serial, "0"))
        /* Translators: the maker, the model and the serial number of an instrument */
        return g_strdup_printf (_("Connected: %s %s, serial %s"), maker, model, serial);
      /* Translators: the maker and the model of an instrument */
      return g_strdup_printf (_("Connected: %s %s"), maker, model);
    }
  /* Translators: how the instrument identifies itself */
  return g_strdup_printf (_("Connected: %s"), identity);
}

/* The instrument's digits as it sent them, with the unit; an overload is
 * never shown as a number. */
static char *
format_readings (GPtrArray *readings)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < readings->len; i++)
    {
      const CbReading *reading = g_ptr_array_index (readings, i);

      if (text->len > 0)
        g_string_append (text, "   ");
      if (reading->overload)
        /* Translators: an overloaded reading, as multimeters show it */
        g_string_append (text, _("OVLD"));
      else
        {
          g_string_append (text, reading->text);
          if (reading->unit != NULL && *reading->unit != '\0')
            g_string_append_printf (text, " %s", reading->unit);
        }
    }
  return g_string_free (text, FALSE);
}

/* An error names the port it happened on. */
static char *
describe_error (const Row    *row,
                const GError *error)
{
  if (strstr (error->message, row->port) != NULL)
    return g_strdup (error->message);
  return g_strdup_printf ("%s: %s", row->port, error->message);
}

/* The room's sensor, when the session logs it: the panel shows the log's
 * side of it and never opens the port itself. */
static void
show_logged_row (CbInstrumentPanel *self,
                 Row               *row)
{
  g_autofree char *state = NULL;
  g_autofree char *reading = NULL;
  const char *error = cb_environment_logger_get_error (row->logger);
  const char *temperature = NULL, *humidity = NULL;
  guint interval = 0;

  g_object_get (row->logger, "interval", &interval, NULL);
  if (error != NULL)
    /* Translators: the room's sensor gave no reading; the error message follows */
    state = g_strdup_printf (C_("connection state", "Error: %s"), error);
  else if (!cb_environment_logger_get_last (row->logger, &temperature, &humidity))
    state = g_strdup (_("Waiting for the first reading of the room"));
  else
    /* Translators: the room's sensor is read in the background */
    state = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Logging the room every %u second",
                                          "Logging the room every %u seconds", interval), interval);
  if (temperature != NULL || humidity != NULL)
    reading = g_strdup_printf ("%s%s%s%s%s", temperature != NULL ? temperature : "",
                               temperature != NULL ? " °C" : "", temperature != NULL && humidity != NULL ? "   " : "",
                               humidity != NULL ? humidity : "", humidity != NULL ? " %RH" : "");
  gtk_label_set_text (row->state_label, state);
  gtk_widget_set_tooltip_text (GTK_WIDGET (row->state_label), state);
  gtk_label_set_text (row->reading_label, reading != NULL && error == NULL ? reading : "");
  gtk_widget_set_visible (GTK_WIDGET (row->reading_label), *gtk_label_get_text (row->reading_label) != '\0');
  gtk_widget_set_visible (row->reconnect_button, error != NULL);
}

static void
on_logger_changed (GObject    *object,
                   GParamSpec *pspec,
                   Row        *row)
{
  if (row->panel != NULL)
    show_row (row->panel, row);
}

static void
show_row (CbInstrumentPanel *self,
          Row               *row)
{
  g_autofree char *state = NULL;

  if (row->panel == NULL)
    return;

  if (row->logger != NULL)
    {
      show_logged_row (self, row);
      return;
    }
  if (self->busy)
    state = g_strdup (_("In use by the procedure"));
  else
    switch (row->state)
      {
      case ROW_IDLE:
        state = g_strdup (_("Not connected"));
        break;
      case ROW_CONNECTING:
        state = g_strdup (_("Connecting…"));
        break;
      case ROW_CONNECTED:
        state = g_strdup (row->message);
        break;
      case ROW_ERROR:
        /* Translators: an instrument's connection failed; the error
         * message follows */
        state = g_strdup_printf (C_("connection state", "Error: %s"), row->message);
        break;
      default:
        g_assert_not_reached ();
      }
  gtk_label_set_text (row->state_label, state);
  gtk_widget_set_tooltip_text (GTK_WIDGET (row->state_label), state);
  if (row->state != ROW_CONNECTED || self->busy)
    gtk_label_set_text (row->reading_label, "");
  gtk_widget_set_visible (GTK_WIDGET (row->reading_label),
                          row->info->measures && *gtk_label_get_text (row->reading_label) != '\0');
  gtk_widget_set_visible (row->reconnect_button, row->state == ROW_ERROR && self->live && !self->busy);
}

static void
show_status (CbInstrumentPanel *self)
{
  const char *status = NULL;

  if (self->busy)
    status = _("In use by the procedure");
  else if (!self->live && self->rows->len > 0)
    status = _("Switch on live readings to connect to the instruments");
  gtk_label_set_text (self->status_label, status != NULL ? status : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), status != NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->live_switch), !self->busy);
}

/* Readings run while someone can see them. */
static gboolean
on_tick (gpointer user_data)
{
  CbInstrumentPanel *self = user_data;

  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = g_ptr_array_index (self->rows, i);

      if (row->info->measures && row->state == ROW_CONNECTED && row->pending == 0)
        start_measure (self, row);
    }
  return G_SOURCE_CONTINUE;
}

static void
update_timer (CbInstrumentPanel *self)
{
  gboolean wanted = self->live && !self->busy && gtk_widget_get_mapped (GTK_WIDGET (self));

  if (wanted && self->tick_id == 0)
    self->tick_id = g_timeout_add (REFRESH_INTERVAL_MS, on_tick, self);
  else if (!wanted)
    g_clear_handle_id (&self->tick_id, g_source_remove);
}

static void
port_closed (CbInstrumentPanel *self)
{
  g_assert (self->n_open > 0);
  if (--self->n_open > 0)
    return;
  while (self->waiters->len > 0)
    {
      g_autoptr(GTask) task = g_ptr_array_steal_index (self->waiters, 0);

      g_task_return_boolean (task, TRUE);
    }
}

/* Closing: the last reference closes the port (and puts a calibrator in
 * standby, which waits for its reply), so on a worker thread. */
static void
close_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  cb_instrument_unref (task_data);
  g_task_return_boolean (task, TRUE);
}

static void
on_closed (GObject      *source_object,
           GAsyncResult *result,
           gpointer      user_data)
{
  CbInstrumentPanel *self = CB_INSTRUMENT_PANEL (source_object);
  g_autoptr(Row) row = user_data;

  row->pending--;
  port_closed (self);
  settle_row (self, row);
}

static void
start_close (CbInstrumentPanel *self,
             Row               *row)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, on_closed, row_ref (row));

  g_task_set_source_tag (task, start_close);
  g_task_set_task_data (task, g_steal_pointer (&row->instrument), NULL);
  row->pending++;
  g_task_run_in_thread (task, close_thread);
}

typedef struct
{
  const RoleInfo *info;
  char           *port;
} ConnectJob;

static void
connect_job_free (ConnectJob *job)
{
  g_free (job->port);
  g_free (job);
}

static void
connect_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ConnectJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CbInstrument) instrument = NULL;

  instrument = cb_instrument_open_port (job->port, cb_driver_find (job->info->driver), cancellable, &error);
  if (instrument == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Set up so that the unit shown is the one measured. */
  if (job->info->measures)
    {
      CbMeasureSettings measure = { job->info->quantity, 0, 0 };

      if (!cb_instrument_configure (instrument, &measure, cancellable, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&instrument), (GDestroyNotify) cb_instrument_unref);
}

static void
on_connected (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  CbInstrumentPanel *self = CB_INSTRUMENT_PANEL (source_object);
  g_autoptr(Row) row = user_data;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));
  CbInstrument *instrument = g_task_propagate_pointer (G_TASK (result), &error);
  /* Released, dropped or disposed since: nothing to show. */
  gboolean current = row->cancellable == cancellable && !g_cancellable_is_cancelled (cancellable);

  row->pending--;
  if (row->cancellable == cancellable)
    g_clear_object (&row->cancellable);

  if (instrument == NULL)
    {
      port_closed (self);
      if (current)
        {
          row->state = ROW_ERROR;
          g_free (row->message);
          row->message = describe_error (row, error);
          show_row (self, row);
        }
    }
  else
    {
      g_assert (row->instrument == NULL);
      row->instrument = instrument;
      if (current)
        {
          row->state = ROW_CONNECTED;
          g_free (row->message);
          row->message = describe_instrument (instrument);
          show_row (self, row);
          /* The first reading without waiting for the next tick. */
          if (row->info->measures && self->tick_id != 0 && row->pending == 0)
            start_measure (self, row);
        }
      else
        row->close_wanted = TRUE;
    }
  settle_row (self, row);
}

static void
start_connect (CbInstrumentPanel *self,
               Row               *row)
{
  g_autoptr(GTask) task = NULL;
  ConnectJob *job = g_new0 (ConnectJob, 1);

  g_assert (row->instrument == NULL && row->cancellable == NULL);
  job->info = row->info;
  job->port = g_strdup (row->port);
  row->cancellable = g_cancellable_new ();
  task = g_task_new (self, row->cancellable, on_connected, row_ref (row));
  g_task_set_source_tag (task, start_connect);
  g_task_set_task_data (task, job, (GDestroyNotify) connect_job_free);
  /* The instrument comes back even when cancelled, to be closed here. */
  g_task_set_check_cancellable (task, FALSE);
  row->pending++;
  self->n_open++;
  g_task_run_in_thread (task, connect_thread);
}

/* The worker holds its own reference while it reads, and drops it before
 * it returns: closing then never races with a reading. */
typedef struct
{
  CbInstrument *instrument;
} MeasureJob;

static void
measure_job_free (MeasureJob *job)
{
  g_clear_pointer (&job->instrument, cb_instrument_unref);
  g_free (job);
}

static void
measure_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  MeasureJob *job = task_data;
  g_autoptr(GError) error = NULL;
  GPtrArray *readings = cb_instrument_measure_all (job->instrument, cancellable, &error);

  g_clear_pointer (&job->instrument, cb_instrument_unref);
  if (readings == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, readings, (GDestroyNotify) g_ptr_array_unref);
}

static void
on_measured (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  CbInstrumentPanel *self = CB_INSTRUMENT_PANEL (source_object);
  g_autoptr(Row) row = user_data;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));
  g_autoptr(GPtrArray) readings = g_task_propagate_pointer (G_TASK (result), &error);
  gboolean current = row->cancellable == cancellable && !g_cancellable_is_cancelled (cancellable);

  row->pending--;
  if (row->cancellable == cancellable)
    g_clear_object (&row->cancellable);

  if (current && readings != NULL)
    {
      g_autofree char *text = format_readings (readings);

      gtk_label_set_text (row->reading_label, text);
      show_row (self, row);
    }
  else if (current)
    {
      /* Timed out, disconnected or garbled: let the port go, and let the
       * user try again. */
      row->state = ROW_ERROR;
      g_free (row->message);
      row->message = describe_error (row, error);
      row->close_wanted = row->instrument != NULL;
      show_row (self, row);
    }
  settle_row (self, row);
}

static void
start_measure (CbInstrumentPanel *self,
               Row               *row)
{
  g_autoptr(GTask) task = NULL;
  MeasureJob *job = g_new0 (MeasureJob, 1);

  g_assert (row->instrument != NULL && row->cancellable == NULL && row->pending == 0);
  job->instrument = cb_instrument_ref (row->instrument);
  row->cancellable = g_cancellable_new ();
  task = g_task_new (self, row->cancellable, on_measured, row_ref (row));
  g_task_set_source_tag (task, start_measure);
  g_task_set_task_data (task, job, (GDestroyNotify) measure_job_free);
  row->pending++;
  g_task_run_in_thread (task, measure_thread);
}

/* What was asked for while a task worked on the port: closing, then
 * connecting again. */
static void
settle_row (CbInstrumentPanel *self,
            Row               *row)
{
  if (row->pending > 0)
    return;
  if (row->close_wanted)
    {
      row->close_wanted = FALSE;
      if (row->instrument != NULL)
        {
          start_close (self, row);
          return;
        }
    }
  if (row->connect_wanted)
    {
      row->connect_wanted = FALSE;
      if (row->panel != NULL)
        start_connect (self, row);
    }
}

/* Stops what runs on the row's port and closes it. */
static void
release_row (CbInstrumentPanel *self,
             Row               *row)
{
  if (row->cancellable != NULL)
    {
      g_cancellable_cancel (row->cancellable);
      g_clear_object (&row->cancellable);
    }
  row->connect_wanted = FALSE;
  row->close_wanted = row->instrument != NULL;
  row->state = ROW_IDLE;
  g_clear_pointer (&row->message, g_free);
  show_row (self, row);
  settle_row (self, row);
}

static void
connect_row (CbInstrumentPanel *self,
             Row               *row)
{
  release_row (self, row);
  row->state = ROW_CONNECTING;
  show_row (self, row);
  row->connect_wanted = TRUE;
  settle_row (self, row);
}

static void
connect_rows (CbInstrumentPanel *self)
{
  if (!self->live || self->busy)
    return;
  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = g_ptr_array_index (self->rows, i);

      if (row->state == ROW_IDLE && row->logger == NULL)
        connect_row (self, row);
    }
}

static void
release_rows (CbInstrumentPanel *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    release_row (self, g_ptr_array_index (self->rows, i));
}

/* Callbacks */

static void
on_reconnect_clicked (GtkButton *button,
                      Row       *row)
{
  if (row->panel == NULL)
    return;
  /* The room's sensor: read now, which opens its port again. */
  if (row->logger != NULL)
    cb_environment_logger_poll (row->logger);
  else
    connect_row (row->panel, row);
}

/* Rows */

static void
drop_row (gpointer data)
{
  Row *row = data;
  CbInstrumentPanel *self = row->panel;

  release_row (self, row);
  if (row->logger != NULL)
    {
      g_signal_handlers_disconnect_by_data (row->logger, row);
      g_clear_object (&row->logger);
      row_unref (row);
    }
  gtk_list_box_remove (self->list, GTK_WIDGET (row->row));
  row->panel = NULL;
  row->row = NULL;
  row->state_label = NULL;
  row->reading_label = NULL;
  row->reconnect_button = NULL;
  row_unref (row);
}

static Row *
row_new (CbInstrumentPanel *self,
         const RoleInfo    *info,
         const char        *port)
{
  Row *row = g_rc_box_new0 (Row);
  GtkWidget *box;

  row->panel = self;
  row->info = info;
  row->port = g_strdup (port);
  row->state = ROW_IDLE;

  row->row = ADW_ACTION_ROW (adw_action_row_new ());
  gtk_widget_set_name (GTK_WIDGET (row->row), info->role);
  /* Ports and instruments' replies are text, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row->row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->row), _(info->name));
  adw_action_row_set_subtitle (row->row, port);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  /* The rest of the row: long errors wrap there instead of in a narrow column. */
  gtk_widget_set_hexpand (box, TRUE);
  row->state_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (row->state_label), "state");
  gtk_label_set_xalign (row->state_label, 1);
  gtk_label_set_justify (row->state_label, GTK_JUSTIFY_RIGHT);
  gtk_label_set_wrap (row->state_label, TRUE);
  gtk_label_set_wrap_mode (row->state_label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (row->state_label, 60);
  gtk_widget_add_css_class (GTK_WIDGET (row->state_label), "dim-label");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (row->state_label));
  row->reading_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (row->reading_label), "reading");
  gtk_label_set_xalign (row->reading_label, 1);
  gtk_label_set_selectable (row->reading_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (row->reading_label), "numeric");
  gtk_widget_add_css_class (GTK_WIDGET (row->reading_label), "title-4");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (row->reading_label));
  adw_action_row_add_suffix (row->row, box);

  row->reconnect_button = gtk_button_new_with_mnemonic (_("_Reconnect"));
  gtk_widget_set_name (row->reconnect_button, "reconnect");
  gtk_widget_set_valign (row->reconnect_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (row->reconnect_button, _("Open the port and identify the instrument again"));
  g_signal_connect_data (row->reconnect_button, "clicked", G_CALLBACK (on_reconnect_clicked),
                         row_ref (row), (GClosureNotify) G_CALLBACK (row_unref), 0);
  adw_action_row_add_suffix (row->row, row->reconnect_button);

  /* The room's sensor, when the session logs it. */
  if (g_str_equal (info->role, "sensor") && self->session != NULL)
    {
      CbEnvironmentLogger *logger = cb_session_get_environment_logger (self->session);

      if (logger != NULL && g_strcmp0 (cb_environment_logger_get_port (logger), port) == 0)
        {
          row->logger = g_object_ref (logger);
          /* The handlers hold one reference, dropped with them. */
          row_ref (row);
          g_signal_connect (logger, "notify::n-logged", G_CALLBACK (on_logger_changed), row);
          g_signal_connect (logger, "notify::error", G_CALLBACK (on_logger_changed), row);
          gtk_widget_set_tooltip_text (row->reconnect_button, _("Read the room's sensor now, opening its port again"));
          gtk_button_set_label (GTK_BUTTON (row->reconnect_button), _("_Read Now"));
        }
    }
  gtk_list_box_append (self->list, GTK_WIDGET (row->row));
  show_row (self, row);
  return row;
}

/* Overrides */

static void
cb_instrument_panel_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (cb_instrument_panel_parent_class)->map (widget);
  update_timer (CB_INSTRUMENT_PANEL (widget));
}

static void
cb_instrument_panel_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (cb_instrument_panel_parent_class)->unmap (widget);
  update_timer (CB_INSTRUMENT_PANEL (widget));
}

static void
cb_instrument_panel_dispose (GObject *object)
{
  CbInstrumentPanel *self = CB_INSTRUMENT_PANEL (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  /* Cancels the I/O and closes the ports; the callbacks still to come
   * find the rows dropped. */
  g_ptr_array_set_size (self->rows, 0);
  g_clear_object (&self->session);

  gtk_widget_dispose_template (GTK_WIDGET (self), CB_TYPE_INSTRUMENT_PANEL);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL;)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cb_instrument_panel_parent_class)->dispose (object);
}

static void
cb_instrument_panel_finalize (GObject *object)
{
  CbInstrumentPanel *self = CB_INSTRUMENT_PANEL (object);

  /* Every task holds a reference: none is left by now. */
  g_warn_if_fail (self->n_open == 0);
  g_ptr_array_unref (self->rows);
  g_ptr_array_unref (self->waiters);

  G_OBJECT_CLASS (cb_instrument_panel_parent_class)->finalize (object);
}

static void
cb_instrument_panel_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CbInstrumentPanel *self = CB_INSTRUMENT_PANEL (object);

  switch (prop_id)
    {
    case PROP_LIVE:
      g_value_set_boolean (value, self->live);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_instrument_panel_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CbInstrumentPanel *self = CB_INSTRUMENT_PANEL (object);

  switch (prop_id)
    {
    case PROP_LIVE:
      cb_instrument_panel_set_live (self, g_value_get_boolean (value));
      break;
    case PROP_BUSY:
      cb_instrument_panel_set_busy (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cb_instrument_panel_class_init (CbInstrumentPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cb_instrument_panel_dispose;
  object_class->finalize = cb_instrument_panel_finalize;
  object_class->get_property = cb_instrument_panel_get_property;
  object_class->set_property = cb_instrument_panel_set_property;
  widget_class->map = cb_instrument_panel_map;
  widget_class->unmap = cb_instrument_panel_unmap;

  /* Whether the panel connects and reads the instruments. */
  properties[PROP_LIVE] =
    g_param_spec_boolean ("live", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Whether a procedure has the ports. */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/calbench/Calbench/ui/cb-instrument-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, CbInstrumentPanel, live_switch);
  gtk_widget_class_bind_template_child (widget_class, CbInstrumentPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, CbInstrumentPanel, list);
}

static void
cb_instrument_panel_init (CbInstrumentPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_ptr_array_new_with_free_func (drop_row);
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_object_bind_property (self, "live", self->live_switch, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  show_status (self);
}

/* Public API */

CbInstrumentPanel *
cb_instrument_panel_new (void)
{
  return g_object_new (CB_TYPE_INSTRUMENT_PANEL, NULL);
}

void
cb_instrument_panel_set_session (CbInstrumentPanel *self,
                                 CbSession         *session)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (drop_row);

  g_return_if_fail (CB_IS_INSTRUMENT_PANEL (self));
  g_return_if_fail (session == NULL || CB_IS_SESSION (session));

  g_set_object (&self->session, session);
  /* A role whose port stayed the same keeps its row and its connection. */
  for (guint i = 0; session != NULL && i < G_N_ELEMENTS (roles); i++)
    {
      const char *port = cb_session_get_instrument_port (session, roles[i].role);
      Row *row = NULL;

      if (port == NULL)
        continue;
      for (guint j = 0; j < self->rows->len && row == NULL; j++)
        {
          Row *old = g_ptr_array_index (self->rows, j);

          if (old->info == &roles[i] && g_str_equal (old->port, port))
            row = g_ptr_array_steal_index (self->rows, j);
        }
      if (row == NULL)
        row = row_new (self, &roles[i], port);
      g_ptr_array_add (rows, row);
    }
  g_ptr_array_set_size (self->rows, 0);
  g_ptr_array_extend_and_steal (self->rows, g_steal_pointer (&rows));
  /* In the order of the roles. */
  for (guint i = 0; i < self->rows->len; i++)
    {
      Row *row = g_ptr_array_index (self->rows, i);
      g_autoptr(GtkWidget) widget = g_object_ref (GTK_WIDGET (row->row));

      gtk_list_box_remove (self->list, widget);
      gtk_list_box_append (self->list, widget);
    }
  show_status (self);
  connect_rows (self);
}

CbSession *
cb_instrument_panel_get_session (CbInstrumentPanel *self)
{
  g_return_val_if_fail (CB_IS_INSTRUMENT_PANEL (self), NULL);

  return self->session;
}

void
cb_instrument_panel_set_live (CbInstrumentPanel *self,
                              gboolean           live)
{
  g_return_if_fail (CB_IS_INSTRUMENT_PANEL (self));

  live = !!live;
  if (self->live == live)
    return;
  self->live = live;
  if (live)
    connect_rows (self);
  else
    release_rows (self);
  update_timer (self);
  show_status (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE]);
}

gboolean
cb_instrument_panel_get_live (CbInstrumentPanel *self)
{
  g_return_val_if_fail (CB_IS_INSTRUMENT_PANEL (self), FALSE);

  return self->live;
}

void
cb_instrument_panel_set_busy (CbInstrumentPanel *self,
                              gboolean           busy)
{
  g_return_if_fail (CB_IS_INSTRUMENT_PANEL (self));

  busy = !!busy;
  if (self->busy == busy)
    return;
  self->busy = busy;
  if (busy)
    release_rows (self);
  else
    {
      for (guint i = 0; i < self->rows->len; i++)
        show_row (self, g_ptr_array_index (self->rows, i));
      connect_rows (self);
    }
  update_timer (self);
  show_status (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

gboolean
cb_instrument_panel_get_busy (CbInstrumentPanel *self)
{
  g_return_val_if_fail (CB_IS_INSTRUMENT_PANEL (self), FALSE);

  return self->busy;
}

void
cb_instrument_panel_release (CbInstrumentPanel *self)
{
  g_return_if_fail (CB_IS_INSTRUMENT_PANEL (self));

  cb_instrument_panel_set_live (self, FALSE);
}

void
cb_instrument_panel_wait_closed_async (CbInstrumentPanel   *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CB_IS_INSTRUMENT_PANEL (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cb_instrument_panel_wait_closed_async);
  if (self->n_open == 0)
    g_task_return_boolean (task, TRUE);
  else
    g_ptr_array_add (self->waiters, g_steal_pointer (&task));
}

gboolean
cb_instrument_panel_wait_closed_finish (CbInstrumentPanel  *self,
                                        GAsyncResult       *result,
                                        GError            **error)
{
  g_return_val_if_fail (CB_IS_INSTRUMENT_PANEL (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

guint
cb_instrument_panel_get_n_open_ports (CbInstrumentPanel *self)
{
  g_return_val_if_fail (CB_IS_INSTRUMENT_PANEL (self), 0);

  return self->n_open;
}
