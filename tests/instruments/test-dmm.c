/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <math.h>
#include <string.h>
#include <unistd.h>

#include "sim-fixture.h"

/* The DMM driver against the simulated 34461A on a pty, faults included. */

typedef struct
{
  SimPty       *pty;
  CbInstrument *instrument;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->pty = sim_pty_start (CB_SIM_DMM, 20240501);
  fixture->instrument = sim_pty_open (fixture->pty, "dmm", 200);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->instrument, cb_instrument_unref);
  sim_pty_stop (fixture->pty);
}

static void
configure (Fixture    *fixture,
           CbQuantity  quantity,
           double      range,
           double      nplc)
{
  g_autoptr(GError) error = NULL;
  CbMeasureSettings settings = { quantity, range, nplc };

  cb_instrument_configure (fixture->instrument, &settings, NULL, &error);
  g_assert_no_error (error);
}

static void
set_fault (Fixture        *fixture,
           CbSimFaultKind  kind,
           guint           limit)
{
  CbSimFault fault = { kind, 0, 1.0, limit };

  cb_sim_set_fault (fixture->pty->sim, &fault);
}

static void
test_probe (void)
{
  SimPty *pty = sim_pty_start (CB_SIM_DMM, 1);
  CbInstrument *instrument = sim_pty_open (pty, NULL, 500);

  g_assert_cmpstr (cb_driver_get_name (cb_instrument_get_driver (instrument)), ==, "dmm");
  g_assert_cmpstr (cb_instrument_get_model (instrument), ==, "34461A");
  g_assert_true (g_str_has_prefix (cb_instrument_get_identity (instrument), "Keysight Technologies,34461A,"));
  cb_instrument_unref (instrument);
  sim_pty_stop (pty);
}

static void
test_wrong_driver (void)
{
  g_autoptr(GError) error = NULL;
  SimPty *pty = sim_pty_start (CB_SIM_DMM, 1);
  CbTransport *transport = cb_transport_open (pty->path, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_null (cb_instrument_open (transport, cb_driver_find ("calibrator"), NULL, &error));
  g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "34461A"));
  sim_pty_stop (pty);
}

static void
test_measure (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbReading) reading = NULL;
  g_autoptr(GRegex) form = g_regex_new ("^[+-][0-9]\\.[0-9]{8}E[+-][0-9]{2}$", 0, 0, NULL);
  g_autofree char *time = NULL;

  cb_sim_set_input (fixture->pty->sim, 1.0);
  configure (fixture, CB_QUANTITY_DC_VOLTAGE, 10, 10);
  reading = cb_instrument_measure (fixture->instrument, NULL, &error);
  g_assert_no_error (error);

  /* The digits as sent, the number they make, and where they came from. */
  g_assert_true (g_regex_match (form, reading->text, 0, NULL));
  g_assert_cmpfloat (reading->value, ==, g_ascii_strtod (reading->text, NULL));
  g_assert_cmpfloat_with_epsilon (reading->value, 1.0, 1e-3);
  g_assert_cmpstr (reading->unit, ==, "V");
  g_assert_cmpstr (reading->raw, ==, reading->text);
  g_assert_false (reading->overload);
  g_assert_cmpint (reading->quantity, ==, CB_QUANTITY_DC_VOLTAGE);
  time = cb_reading_format_time (reading);
  g_assert_true (g_str_has_suffix (time, "Z"));
}

static void
test_resistance (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbReading) reading = NULL;

  cb_sim_set_input (fixture->pty->sim, 99.98);
  configure (fixture, CB_QUANTITY_RESISTANCE, 0, 1);
  reading = cb_instrument_measure (fixture->instrument, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reading->unit, ==, "Ω");
  g_assert_cmpfloat_with_epsilon (reading->value, 99.98, 0.01);
}

static void
test_overload (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbReading) reading = NULL;

  /* 15 V on the 10 V range: beyond its 120 %. */
  cb_sim_set_input (fixture->pty->sim, 15.0);
  configure (fixture, CB_QUANTITY_DC_VOLTAGE, 10, 1);
  reading = cb_instrument_measure (fixture->instrument, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (reading->overload);
  g_assert_true (isnan (reading->value));
  g_assert_cmpstr (reading->text, ==, "+9.90000000E+37");
}

static void
test_error_queue (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  CbMeasureSettings settings = { CB_QUANTITY_DC_VOLTAGE, 10, 3 };

  /* 3 NPLC is not one of the meter's settings: the queue says so. */
  g_assert_false (cb_instrument_configure (fixture->instrument, &settings, NULL, &error));
  g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_INSTRUMENT);
  g_assert_nonnull (strstr (error->message, "-222"));
  g_assert_nonnull (strstr (error->message, fixture->pty->path));
  g_clear_error (&error);

  /* Two unknown commands, read back in order. */
  g_assert_true (cb_transport_write_line (cb_instrument_get_transport (fixture->instrument), "BOGUS", NULL, &error));
  g_assert_true (cb_transport_write_line (cb_instrument_get_transport (fixture->instrument), "CONF:VOLT:DC 5000", NULL, &error));
  errors = cb_instrument_query_errors (fixture->instrument, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (errors->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (errors, 0), ==, "-113,\"Undefined header\"");
  g_assert_cmpstr (g_ptr_array_index (errors, 1), ==, "-222,\"Data out of range\"");
  g_clear_pointer (&errors, g_ptr_array_unref);
  errors = cb_instrument_query_errors (fixture->instrument, NULL, &error);
  g_assert_cmpuint (errors->len, ==, 0);
}

static void
test_unsupported (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CbMeasureSettings settings = { CB_QUANTITY_PRESSURE, 0, 0 };
  CbSourceSettings source = { CB_QUANTITY_DC_VOLTAGE, 1, 0 };

  g_assert_false (cb_instrument_configure (fixture->instrument, &settings, NULL, &error));
  g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_assert_false (cb_instrument_source (fixture->instrument, &source, NULL, &error));
  g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_UNSUPPORTED);
}

static void
test_stall (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbReading) reading = NULL;
  g_autoptr(CbReading) again = NULL;

  /* A silent instrument is a timeout, never a hang. */
  set_fault (fixture, CB_SIM_FAULT_STALL, 1);
  reading = cb_instrument_measure (fixture->instrument, NULL, &error);
  g_assert_null (reading);
  g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "READ?"));
  g_assert_nonnull (strstr (error->message, "200 ms"));
  g_clear_error (&error);

  again = cb_instrument_measure (fixture->instrument, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
}

static void
test_garbage (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbReading) reading = NULL;
  g_autoptr(CbReading) again = NULL;

  set_fault (fixture, CB_SIM_FAULT_GARBAGE, 1);
  reading = cb_instrument_measure (fixture->instrument, NULL, &error);
  g_assert_null (reading);
  g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "expected a number"));
  g_clear_error (&error);

  again = cb_instrument_measure (fixture->instrument, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (again->overload);
}

static void
test_disconnect (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* Half a reading, then the line goes. */
  set_fault (fixture, CB_SIM_FAULT_DISCONNECT, 1);
  g_assert_null (cb_instrument_measure (fixture->instrument, NULL, &error));
  /* Whether the half arrived before the hang-up is up to the kernel. */
  g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_DISCONNECTED);
  g_assert_nonnull (strstr (error->message, "disconnected"));
}

static void
test_fault_after (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CbSimFault fault = { CB_SIM_FAULT_GARBAGE, 3, 1.0, 0 };

  /* Three good replies, then garbage every time. */
  cb_sim_set_fault (fixture->pty->sim, &fault);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(CbReading) reading = cb_instrument_measure (fixture->instrument, NULL, &error);

      g_assert_no_error (error);
    }
  for (guint i = 0; i < 2; i++)
    {
      g_assert_null (cb_instrument_measure (fixture->instrument, NULL, &error));
      g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_PROTOCOL);
      g_clear_error (&error);
    }
  g_assert_cmpuint (cb_sim_get_n_faults (fixture->pty->sim), ==, 2);
}

static void
on_measured (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  CbReading **reading = user_data;
  g_autoptr(GError) error = NULL;

  *reading = cb_instrument_measure_finish (NULL, result, &error);
  g_assert_no_error (error);
  g_main_context_wakeup (NULL);
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(CbReading) reading = NULL;

  cb_instrument_measure_async (fixture->instrument, NULL, on_measured, &reading);
  while (reading == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpfloat_with_epsilon (reading->value, 1.0, 1e-3);
}

static void
on_cancelled (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_null (cb_instrument_measure_finish (NULL, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  *done = TRUE;
}

static void
test_async_cancel (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gboolean done = FALSE;

  /* A stalled instrument and a long timeout: cancelling ends the wait. */
  set_fault (fixture, CB_SIM_FAULT_STALL, 1);
  cb_transport_set_timeout (cb_instrument_get_transport (fixture->instrument), 60000);
  cb_instrument_measure_async (fixture->instrument, cancellable, on_cancelled, &done);
  g_cancellable_cancel (cancellable);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/instruments/dmm/probe", test_probe);
  g_test_add_func ("/instruments/dmm/wrong-driver", test_wrong_driver);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/instruments/dmm/measure", test_measure);
  ADD ("/instruments/dmm/resistance", test_resistance);
  ADD ("/instruments/dmm/overload", test_overload);
  ADD ("/instruments/dmm/error-queue", test_error_queue);
  ADD ("/instruments/dmm/unsupported", test_unsupported);
  ADD ("/instruments/dmm/fault/stall", test_stall);
  ADD ("/instruments/dmm/fault/garbage", test_garbage);
  ADD ("/instruments/dmm/fault/disconnect", test_disconnect);
  ADD ("/instruments/dmm/fault/after", test_fault_after);
  ADD ("/instruments/dmm/async", test_async);
  ADD ("/instruments/dmm/async-cancel", test_async_cancel);
#undef ADD

  return g_test_run ();
}
