/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <unistd.h>

#include "sim-fixture.h"

typedef struct
{
  CbSim        *sim;
  int           master;
  GCancellable *cancellable;
} ServeData;

static gpointer
serve (gpointer user_data)
{
  ServeData *data = user_data;

  /* Returns on cancellation, or when a disconnect fault closed the line. */
  cb_sim_serve_fd (data->sim, data->master, data->cancellable, NULL);
  g_object_unref (data->cancellable);
  g_free (data);
  return NULL;
}

SimPty *
sim_pty_start (CbSimKind kind,
               guint32   seed)
{
  g_autoptr(GError) error = NULL;
  SimPty *pty = g_new0 (SimPty, 1);
  ServeData *data = g_new0 (ServeData, 1);

  pty->sim = cb_sim_new (kind, seed);
  pty->cancellable = g_cancellable_new ();
  g_assert_true (cb_sim_open_pty (&data->master, &pty->slave, &pty->path, &error));
  g_assert_no_error (error);
  data->sim = pty->sim;
  data->cancellable = g_object_ref (pty->cancellable);
  pty->thread = g_thread_new ("simulator", serve, data);
  return pty;
}

void
sim_pty_stop (SimPty *pty)
{
  g_cancellable_cancel (pty->cancellable);
  g_thread_join (pty->thread);
  close (pty->slave);
  cb_sim_free (pty->sim);
  g_object_unref (pty->cancellable);
  g_free (pty->path);
  g_free (pty);
}

CbInstrument *
sim_pty_open (SimPty     *pty,
              const char *driver_name,
              int         timeout_ms)
{
  g_autoptr(GError) error = NULL;
  const CbDriver *driver = NULL;
  CbTransport *transport;
  CbInstrument *instrument;

  if (driver_name != NULL)
    {
      driver = cb_driver_find (driver_name);
      g_assert_nonnull (driver);
    }
  transport = cb_transport_open (pty->path, NULL, NULL, &error);
  g_assert_no_error (error);
  cb_transport_set_timeout (transport, timeout_ms);
  instrument = cb_instrument_open (transport, driver, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (instrument);
  return instrument;
}
