/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "cb-instrument-private.h"

/* Probing waits less than a measurement: a silent port is the common case. */
#define PROBE_TIMEOUT_MS 500
/* Bytes of a reply quoted in errors. */
#define QUOTE_MAX 64

static const CbDriver * const drivers[] = {
  &cb_driver_dmm,
  &cb_driver_calibrator,
  &cb_driver_pressure,
  &cb_driver_thermohygrometer,
};

const CbDriver * const *
cb_driver_list (guint *n_drivers)
{
  *n_drivers = G_N_ELEMENTS (drivers);
  return drivers;
}

const CbDriver *
cb_driver_find (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (drivers); i++)
    if (g_strcmp0 (drivers[i]->name, name) == 0)
      return drivers[i];
  return NULL;
}

const char *
cb_driver_get_name (const CbDriver *driver)
{
  return driver->name;
}

const char *
cb_driver_get_summary (const CbDriver *driver)
{
  return _(driver->summary);
}

void
cb_driver_get_serial_settings (const CbDriver   *driver,
                               CbSerialSettings *settings)
{
  *settings = driver->serial;
}

/* The safety rule of sources: standby before anything else happens.  Best
 * effort, never cancelled: the port may be gone. */
static void
make_safe (CbInstrument *instrument)
{
  g_autoptr(GError) error = NULL;

  if ((instrument->driver->flags & CB_DRIVER_STANDBY_ON_ERROR) == 0 ||
      instrument->driver->standby == NULL)
    return;
  cb_transport_discard_input (instrument->transport, 0);
  if (!instrument->driver->standby (instrument, NULL, &error))
    g_debug ("%s: standby after an error failed: %s",
             cb_transport_get_port (instrument->transport), error->message);
}

static CbInstrument *
instrument_new (CbTransport *transport)
{
  CbInstrument *instrument = g_new0 (CbInstrument, 1);

  g_atomic_ref_count_init (&instrument->ref);
  g_mutex_init (&instrument->lock);
  instrument->transport = transport;
  return instrument;
}

static void
instrument_free (CbInstrument *instrument)
{
  g_clear_pointer (&instrument->transport, cb_transport_close);
  g_free (instrument->identity);
  g_free (instrument->idn);
  g_free (instrument->unit);
  g_mutex_clear (&instrument->lock);
  g_free (instrument);
}

static gboolean
try_driver (CbInstrument    *instrument,
            const CbDriver  *driver,
            GCancellable    *cancellable,
            GError         **error)
{
  instrument->driver = driver;
  instrument->quirks = NULL;
  cb_transport_set_terminator (instrument->transport, driver->terminator);
  return driver->probe (instrument, cancellable, error);
}

CbInstrument *
cb_instrument_open (CbTransport     *transport,
                    const CbDriver  *driver,
                    GCancellable    *cancellable,
                    GError         **error)
{
  CbInstrument *instrument = instrument_new (transport);
  g_autoptr(GString) tried = g_string_new (NULL);
  int timeout = cb_transport_get_timeout (transport);
  gboolean found = FALSE;

  if (driver != NULL)
    {
      if (try_driver (instrument, driver, cancellable, error))
        return instrument;
      instrument->driver = NULL;
      instrument_free (instrument);
      return NULL;
    }

  cb_transport_set_timeout (transport, MIN (timeout, PROBE_TIMEOUT_MS));
  for (guint i = 0; i < G_N_ELEMENTS (drivers) && !found; i++)
    {
      g_autoptr(GError) local_error = NULL;

      found = try_driver (instrument, drivers[i], cancellable, &local_error);
      if (found)
        break;
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
          g_error_matches (local_error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_DISCONNECTED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          instrument->driver = NULL;
          instrument_free (instrument);
          return NULL;
        }
      g_string_append_printf (tried, "%s%s: %s", tried->len > 0 ? "; " : "",
                              drivers[i]->name, local_error->message);
      cb_transport_discard_input (transport, 0);
    }
  cb_transport_set_timeout (transport, timeout);

  if (!found)
    {
      g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_NOT_FOUND,
                   _("%s: no driver recognises the instrument (%s)"),
                   cb_transport_get_port (transport), tried->str);
      instrument->driver = NULL;
      instrument_free (instrument);
      return NULL;
    }
  return instrument;
}

CbInstrument *
cb_instrument_open_port (const char      *port,
                         const CbDriver  *driver,
                         GCancellable    *cancellable,
                         GError         **error)
{
  CbSerialSettings settings = CB_SERIAL_SETTINGS_DEFAULT;
  CbTransport *transport;

  g_return_val_if_fail (port != NULL, NULL);
  g_return_val_if_fail (driver != NULL, NULL);

  cb_driver_get_serial_settings (driver, &settings);
  transport = cb_transport_open (port, &settings, cancellable, error);
  if (transport == NULL)
    return NULL;
  return cb_instrument_open (transport, driver, cancellable, error);
}

CbInstrument *
cb_instrument_ref (CbInstrument *instrument)
{
  g_atomic_ref_count_inc (&instrument->ref);
  return instrument;
}

void
cb_instrument_unref (CbInstrument *instrument)
{
  if (instrument == NULL || !g_atomic_ref_count_dec (&instrument->ref))
    return;
  /* A connection that only identified or measured leaves the output as
   * the operator set it; one that drove the source ends it in standby. */
  g_mutex_lock (&instrument->lock);
  if (instrument->drove)
    make_safe (instrument);
  g_mutex_unlock (&instrument->lock);
  instrument_free (instrument);
}

const CbDriver *
cb_instrument_get_driver (CbInstrument *instrument)
{
  return instrument->driver;
}

CbTransport *
cb_instrument_get_transport (CbInstrument *instrument)
{
  return instrument->transport;
}

const char *
cb_instrument_get_identity (CbInstrument *instrument)
{
  return instrument->identity;
}

const char *
cb_instrument_get_model (CbInstrument *instrument)
{
  return instrument->quirks != NULL ? instrument->quirks->model : NULL;
}

void
cb_instrument_set_unsupported (CbInstrument  *instrument,
                               GError       **error,
                               const char    *what)
{
  g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_UNSUPPORTED,
               _("%s: the %s driver cannot %s"),
               cb_transport_get_port (instrument->transport), instrument->driver->name, what);
}

/* After a failed operation: garbage or half a reply may still arrive, and a
 * source goes to standby. */
static void
after_failure (CbInstrument *instrument)
{
  if (instrument->driver->flags & CB_DRIVER_STANDBY_ON_ERROR)
    make_safe (instrument);
}

gboolean
cb_instrument_configure (CbInstrument             *instrument,
                         const CbMeasureSettings  *settings,
                         GCancellable             *cancellable,
                         GError                  **error)
{
  gboolean ok;

  g_mutex_lock (&instrument->lock);
  if (instrument->driver->configure == NULL)
    {
      cb_instrument_set_unsupported (instrument, error, _("measure"));
      ok = FALSE;
    }
  else
    {
      ok = instrument->driver->configure (instrument, settings, cancellable, error);
      if (ok)
        instrument->settings = *settings;
      else
        after_failure (instrument);
    }
  g_mutex_unlock (&instrument->lock);
  return ok;
}

GPtrArray *
cb_instrument_measure_all (CbInstrument  *instrument,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(GPtrArray) readings = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_reading_free);
  gboolean ok;

  g_mutex_lock (&instrument->lock);
  if (instrument->driver->measure == NULL)
    {
      cb_instrument_set_unsupported (instrument, error, _("measure"));
      ok = FALSE;
    }
  else
    {
      ok = instrument->driver->measure (instrument, readings, cancellable, error);
      if (!ok)
        after_failure (instrument);
    }
  g_mutex_unlock (&instrument->lock);
  return ok ? g_steal_pointer (&readings) : NULL;
}

CbReading *
cb_instrument_measure (CbInstrument  *instrument,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(GPtrArray) readings = cb_instrument_measure_all (instrument, cancellable, error);

  if (readings == NULL)
    return NULL;
  g_assert (readings->len > 0);
  return g_ptr_array_steal_index (readings, 0);
}

gboolean
cb_instrument_source (CbInstrument            *instrument,
                      const CbSourceSettings  *settings,
                      GCancellable            *cancellable,
                      GError                 **error)
{
  gboolean ok;

  g_mutex_lock (&instrument->lock);
  if (instrument->driver->source == NULL)
    {
      cb_instrument_set_unsupported (instrument, error, _("source"));
      ok = FALSE;
    }
  else
    {
      instrument->drove = TRUE;
      ok = instrument->driver->source (instrument, settings, cancellable, error);
      if (!ok)
        after_failure (instrument);
    }
  g_mutex_unlock (&instrument->lock);
  return ok;
}

gboolean
cb_instrument_standby (CbInstrument  *instrument,
                       GCancellable  *cancellable,
                       GError       **error)
{
  gboolean ok;

  g_mutex_lock (&instrument->lock);
  if (instrument->driver->standby == NULL)
    {
      cb_instrument_set_unsupported (instrument, error, _("go to standby"));
      ok = FALSE;
    }
  else
    ok = instrument->driver->standby (instrument, cancellable, error);
  g_mutex_unlock (&instrument->lock);
  return ok;
}

gboolean
cb_instrument_vent (CbInstrument  *instrument,
                    GCancellable  *cancellable,
                    GError       **error)
{
  gboolean ok;

  g_mutex_lock (&instrument->lock);
  if (instrument->driver->vent == NULL)
    {
      cb_instrument_set_unsupported (instrument, error, _("vent"));
      ok = FALSE;
    }
  else
    {
      ok = instrument->driver->vent (instrument, cancellable, error);
      if (!ok)
        after_failure (instrument);
    }
  g_mutex_unlock (&instrument->lock);
  return ok;
}

GPtrArray *
cb_instrument_query_errors (CbInstrument  *instrument,
                            GCancellable  *cancellable,
                            GError       **error)
{
  GPtrArray *errors;

  g_mutex_lock (&instrument->lock);
  if (instrument->driver->query_errors == NULL)
    {
      cb_instrument_set_unsupported (instrument, error, _("report errors"));
      errors = NULL;
    }
  else
    {
      errors = instrument->driver->query_errors (instrument, cancellable, error);
      if (errors == NULL)
        after_failure (instrument);
    }
  g_mutex_unlock (&instrument->lock);
  return errors;
}

char *
cb_instrument_query (CbInstrument  *instrument,
                     const char    *command,
                     GCancellable  *cancellable,
                     GError       **error)
{
  char *reply;

  g_mutex_lock (&instrument->lock);
  /* A raw command may switch the output on. */
  instrument->drove = TRUE;
  reply = cb_transport_query (instrument->transport, command, cancellable, error);
  if (reply == NULL)
    after_failure (instrument);
  g_mutex_unlock (&instrument->lock);
  return reply;
}

/* Async wrappers: each runs the blocking call on a GTask thread.  The
 * transport's own deadlines bound them, the cancellable interrupts them. */

static void
measure_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  CbReading *reading = cb_instrument_measure (task_data, cancellable, &error);

  if (reading == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, reading, (GDestroyNotify) cb_reading_free);
}

void
cb_instrument_measure_async (CbInstrument        *instrument,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, cb_instrument_measure_async);
  g_task_set_task_data (task, cb_instrument_ref (instrument), (GDestroyNotify) cb_instrument_unref);
  g_task_run_in_thread (task, measure_thread);
}

CbReading *
cb_instrument_measure_finish (CbInstrument  *instrument,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  CbInstrument     *instrument;
  CbSourceSettings  settings;
  char             *command;
} Job;

static void
job_free (Job *job)
{
  cb_instrument_unref (job->instrument);
  g_free (job->command);
  g_free (job);
}

static void
source_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;

  if (cb_instrument_source (job->instrument, &job->settings, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
cb_instrument_source_async (CbInstrument            *instrument,
                            const CbSourceSettings  *settings,
                            GCancellable            *cancellable,
                            GAsyncReadyCallback      callback,
                            gpointer                 user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  job->instrument = cb_instrument_ref (instrument);
  job->settings = *settings;
  g_task_set_source_tag (task, cb_instrument_source_async);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  /* Cancelled before it ran, the source still goes to standby. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, source_thread);
}

gboolean
cb_instrument_source_finish (CbInstrument  *instrument,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
query_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  char *reply = cb_instrument_query (job->instrument, job->command, cancellable, &error);

  if (reply == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, reply, g_free);
}

void
cb_instrument_query_async (CbInstrument        *instrument,
                           const char          *command,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  job->instrument = cb_instrument_ref (instrument);
  job->command = g_strdup (command);
  g_task_set_source_tag (task, cb_instrument_query_async);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (task, query_thread);
}

char *
cb_instrument_query_finish (CbInstrument  *instrument,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* SCPI helpers shared by the drivers. */

gboolean
cb_instrument_scpi_identify (CbInstrument  *instrument,
                             GCancellable  *cancellable,
                             GError       **error)
{
  const CbDriver *driver = instrument->driver;

  if (!instrument->idn_asked)
    {
      g_autoptr(GError) local_error = NULL;

      instrument->idn_asked = TRUE;
      instrument->idn = cb_transport_query (instrument->transport, "*IDN?", cancellable, &local_error);
      if (instrument->idn == NULL)
        {
          /* A silent port is asked once, not once per driver. */
          if (g_error_matches (local_error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_TIMEOUT) ||
              g_error_matches (local_error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_PROTOCOL))
            instrument->idn = g_strdup ("");
          else
            instrument->idn_asked = FALSE;
          g_prefix_error (&local_error, _("asking *IDN?: "));
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  if (instrument->idn[0] == '\0')
    {
      g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_NOT_FOUND,
                   _("no reply to *IDN?"));
      return FALSE;
    }

  for (const CbModelQuirks *model = driver->models; model->pattern != NULL; model++)
    if (g_pattern_match_simple (model->pattern, instrument->idn))
      {
        instrument->quirks = model;
        g_free (instrument->identity);
        instrument->identity = g_strdup (instrument->idn);
        if (model->init != NULL)
          {
            g_auto(GStrv) commands = g_strsplit (model->init, ";", -1);

            for (guint i = 0; commands[i] != NULL; i++)
              if (!cb_instrument_scpi_send (instrument, commands[i], cancellable, error))
                return FALSE;
          }
        return TRUE;
      }

  {
    g_autofree char *quoted = cb_instrument_quote_bytes ((const guint8 *) instrument->idn,
                                                         strlen (instrument->idn), QUOTE_MAX);

    g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_NOT_FOUND,
                 _("*IDN? gave “%s”, not a model the %s driver knows"), quoted, driver->name);
  }
  return FALSE;
}

gboolean
cb_instrument_scpi_send (CbInstrument  *instrument,
                         const char    *command,
                         GCancellable  *cancellable,
                         GError       **error)
{
  return cb_transport_write_line (instrument->transport, command, cancellable, error);
}

char *
cb_instrument_scpi_query (CbInstrument  *instrument,
                          const char    *command,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  char *reply;

  reply = cb_transport_query (instrument->transport, command, cancellable, &local_error);
  if (reply == NULL)
    {
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&local_error, _("waiting for the reply to “%s”: "), command);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  /* "CMD:SUB value" → "value" where the model echoes headers. */
  if (instrument->quirks != NULL && instrument->quirks->reply_header && reply[0] == ':')
    {
      const char *space = strchr (reply, ' ');

      if (space != NULL)
        {
          char *value = g_strdup (space + 1);

          g_free (reply);
          reply = value;
        }
    }
  return reply;
}

GPtrArray *
cb_instrument_scpi_errors (CbInstrument  *instrument,
                           const char    *query,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func (g_free);

  /* Bounded: an instrument's queue is short, and a broken one must not keep
   * us here. */
  for (guint i = 0; i < 32; i++)
    {
      g_autofree char *entry = cb_instrument_scpi_query (instrument, query, cancellable, error);
      double code;
      char *end = NULL;

      if (entry == NULL)
        return NULL;
      errno = 0;
      code = g_ascii_strtod (entry, &end);
      if (end == entry || *end != ',' || errno != 0)
        {
          g_autofree char *quoted = cb_instrument_quote_bytes ((const guint8 *) entry, strlen (entry),
                                                               QUOTE_MAX);

          g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_PROTOCOL,
                       _("%s: expected “code,message” in reply to “%s”, received “%s”"),
                       cb_transport_get_port (instrument->transport), query, quoted);
          return NULL;
        }
      if (code == 0)
        break;
      g_ptr_array_add (errors, g_steal_pointer (&entry));
    }
  return g_steal_pointer (&errors);
}

gboolean
cb_instrument_scpi_check (CbInstrument  *instrument,
                          const char    *query,
                          const char    *after,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(GPtrArray) errors = cb_instrument_scpi_errors (instrument, query, cancellable, error);
  g_autofree char *joined = NULL;

  if (errors == NULL)
    return FALSE;
  if (errors->len == 0)
    return TRUE;
  g_ptr_array_add (errors, NULL);
  joined = g_strjoinv ("; ", (char **) errors->pdata);
  g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_INSTRUMENT,
               _("%s: the instrument reported %s after “%s”"),
               cb_transport_get_port (instrument->transport), joined, after);
  return FALSE;
}

gboolean
cb_instrument_parse_number (CbInstrument  *instrument,
                            const char    *command,
                            const char    *text,
                            double        *value,
                            GError       **error)
{
  char *end = NULL;
  double v;

  errno = 0;
  v = g_ascii_strtod (text, &end);
  while (end != NULL && end != text && g_ascii_isspace (*end))
    end++;
  if (end == text || *end != '\0' || errno == ERANGE || !isfinite (v))
    {
      g_autofree char *quoted = cb_instrument_quote_bytes ((const guint8 *) text, strlen (text), QUOTE_MAX);

      g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_PROTOCOL,
                   _("%s: expected a number in reply to “%s”, received “%s”"),
                   cb_transport_get_port (instrument->transport), command, quoted);
      return FALSE;
    }
  *value = v;
  return TRUE;
}
