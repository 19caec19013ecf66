/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <unistd.h>

#include "instruments/cb-instrument.h"
#include "instruments/cb-sim.h"

/* The TCP transport against a simulator listening on a port the system
 * chose. */

typedef struct
{
  CbSim        *sim;
  int           listener;
  guint16       port;
  GCancellable *cancellable;
  GThread      *thread;
} Fixture;

static gpointer
serve (gpointer user_data)
{
  Fixture *fixture = user_data;

  cb_sim_serve_listener (fixture->sim, fixture->listener, fixture->cancellable, NULL);
  return NULL;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->sim = cb_sim_new (CB_SIM_DMM, 11);
  fixture->listener = cb_sim_listen_tcp (0, &fixture->port, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->port, >, 0);
  fixture->cancellable = g_cancellable_new ();
  fixture->thread = g_thread_new ("simulator", serve, fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_cancellable_cancel (fixture->cancellable);
  g_thread_join (fixture->thread);
  close (fixture->listener);
  g_object_unref (fixture->cancellable);
  cb_sim_free (fixture->sim);
}

static CbInstrument *
open_instrument (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *port = g_strdup_printf ("tcp:127.0.0.1:%u", fixture->port);
  CbTransport *transport = cb_transport_open (port, NULL, NULL, &error);
  CbInstrument *instrument;

  g_assert_no_error (error);
  g_assert_cmpstr (cb_transport_get_port (transport), ==, port);
  cb_transport_set_timeout (transport, 500);
  instrument = cb_instrument_open (transport, NULL, NULL, &error);
  g_assert_no_error (error);
  return instrument;
}

static void
test_measure (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* Two clients in turn: the simulator serves one connection after the other. */
  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(CbInstrument) instrument = open_instrument (fixture);
      g_autoptr(CbReading) reading = NULL;

      g_assert_cmpstr (cb_driver_get_name (cb_instrument_get_driver (instrument)), ==, "dmm");
      reading = cb_instrument_measure (instrument, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpfloat_with_epsilon (reading->value, 1.0, 1e-3);
    }
}

static void
test_stall (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbInstrument) instrument = open_instrument (fixture);
  CbSimFault fault = { CB_SIM_FAULT_STALL, 0, 1.0, 0 };

  cb_sim_set_fault (fixture->sim, &fault);
  cb_transport_set_timeout (cb_instrument_get_transport (instrument), 200);
  g_assert_null (cb_instrument_measure (instrument, NULL, &error));
  g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_TIMEOUT);
}

static void
test_disconnect (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbInstrument) instrument = open_instrument (fixture);
  CbSimFault fault = { CB_SIM_FAULT_DISCONNECT, 0, 1.0, 1 };

  cb_sim_set_fault (fixture->sim, &fault);
  g_assert_null (cb_instrument_measure (instrument, NULL, &error));
  g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_DISCONNECTED);
}

static void
test_refused (void)
{
  g_autoptr(GError) error = NULL;
  guint16 port = 0;
  int fd = cb_sim_listen_tcp (0, &port, &error);
  g_autofree char *name = g_strdup_printf ("tcp:127.0.0.1:%u", port);

  /* A port nobody listens on any more. */
  close (fd);
  g_assert_null (cb_transport_open (name, NULL, NULL, &error));
  g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_OPEN);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/instruments/tcp/measure", test_measure);
  ADD ("/instruments/tcp/stall", test_stall);
  ADD ("/instruments/tcp/disconnect", test_disconnect);
#undef ADD
  g_test_add_func ("/instruments/tcp/refused", test_refused);

  return g_test_run ();
}
