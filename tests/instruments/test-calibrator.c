/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <string.h>

#include "sim-fixture.h"

/* The calibrator driver against the simulated 5520A, and its safety rule:
 * whatever goes wrong while sourcing, the calibrator ends in standby. */

typedef struct
{
  SimPty       *pty;
  CbInstrument *instrument;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->pty = sim_pty_start (CB_SIM_CALIBRATOR, 7);
  fixture->instrument = sim_pty_open (fixture->pty, "calibrator", 200);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->instrument, cb_instrument_unref);
  sim_pty_stop (fixture->pty);
}

static void
source_ok (Fixture    *fixture,
           CbQuantity  quantity,
           double      value,
           double      frequency)
{
  g_autoptr(GError) error = NULL;
  CbSourceSettings settings = { quantity, value, frequency };

  cb_instrument_source (fixture->instrument, &settings, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (cb_sim_get_output_on (fixture->pty->sim));
  g_assert_cmpfloat (cb_sim_get_output_value (fixture->pty->sim), ==, value);
}

static void
set_fault (Fixture        *fixture,
           CbSimFaultKind  kind)
{
  CbSimFault fault = { kind, 0, 1.0, 1 };

  cb_sim_set_fault (fixture->pty->sim, &fault);
}

static void
test_identify (Fixture       *fixture,
               gconstpointer  data)
{
  g_assert_cmpstr (cb_instrument_get_model (fixture->instrument), ==, "5520A");
  g_assert_cmpstr (cb_instrument_get_identity (fixture->instrument), ==, "FLUKE,5520A,9325011,1.8+1.3+2.0+*");
  g_assert_false (cb_sim_get_output_on (fixture->pty->sim));
}

static void
test_source_dc (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbReading) reading = NULL;

  source_ok (fixture, CB_QUANTITY_DC_VOLTAGE, 1.5, 0);
  reading = cb_instrument_measure (fixture->instrument, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (reading->quantity, ==, CB_QUANTITY_DC_VOLTAGE);
  g_assert_cmpstr (reading->text, ==, "1.500000E+00");
  g_assert_cmpfloat (reading->value, ==, 1.5);
  g_assert_cmpstr (reading->unit, ==, "V");

  g_assert_true (cb_instrument_standby (fixture->instrument, NULL, &error));
  g_assert_false (cb_sim_get_output_on (fixture->pty->sim));
}

static void
test_source_ac (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbReading) reading = NULL;

  source_ok (fixture, CB_QUANTITY_AC_CURRENT, 0.1, 1000);
  reading = cb_instrument_measure (fixture->instrument, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (reading->quantity, ==, CB_QUANTITY_AC_CURRENT);
  g_assert_cmpstr (reading->unit, ==, "A");
  g_assert_cmpstr (reading->raw, ==, "1.000000E-01,A,0.00E+00,0,1.00E+03");
}

static void
test_source_needs_frequency (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CbSourceSettings settings = { CB_QUANTITY_AC_VOLTAGE, 1, 0 };

  g_assert_false (cb_instrument_source (fixture->instrument, &settings, NULL, &error));
  g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_INVALID);
}

/* Each way a source call can fail, after a good output is on. */

static void
test_standby_on_instrument_error (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) errors = NULL;
  CbSourceSettings settings = { CB_QUANTITY_DC_VOLTAGE, 2000, 0 };

  source_ok (fixture, CB_QUANTITY_DC_VOLTAGE, 10, 0);
  g_assert_false (cb_instrument_source (fixture->instrument, &settings, NULL, &error));
  g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_INSTRUMENT);
  g_assert_nonnull (strstr (error->message, "-222,\"Data out of range\""));
  g_assert_nonnull (strstr (error->message, "OUT 2000 V"));
  g_assert_false (cb_sim_get_output_on (fixture->pty->sim));
  g_clear_error (&error);

  /* The queue was read while reporting. */
  errors = cb_instrument_query_errors (fixture->instrument, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (errors->len, ==, 0);
}

static void
test_standby_on_garbage (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CbSourceSettings settings = { CB_QUANTITY_DC_VOLTAGE, 5, 0 };

  source_ok (fixture, CB_QUANTITY_DC_VOLTAGE, 1, 0);
  set_fault (fixture, CB_SIM_FAULT_GARBAGE);
  g_assert_false (cb_instrument_source (fixture->instrument, &settings, NULL, &error));
  g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_PROTOCOL);
  g_assert_false (cb_sim_get_output_on (fixture->pty->sim));
}

static void
test_standby_on_timeout (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  CbSourceSettings settings = { CB_QUANTITY_DC_VOLTAGE, 5, 0 };

  source_ok (fixture, CB_QUANTITY_DC_VOLTAGE, 1, 0);
  set_fault (fixture, CB_SIM_FAULT_STALL);
  g_assert_false (cb_instrument_source (fixture->instrument, &settings, NULL, &error));
  g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_TIMEOUT);
  g_assert_false (cb_sim_get_output_on (fixture->pty->sim));
}

static void
on_source_cancelled (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_false (cb_instrument_source_finish (NULL, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  *done = TRUE;
}

static void
test_standby_on_cancel (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  CbSourceSettings settings = { CB_QUANTITY_DC_VOLTAGE, 5, 0 };
  gboolean done = FALSE;

  source_ok (fixture, CB_QUANTITY_DC_VOLTAGE, 1, 0);
  g_cancellable_cancel (cancellable);
  cb_instrument_source_async (fixture->instrument, &settings, cancellable, on_source_cancelled, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (cb_sim_get_output_on (fixture->pty->sim));
}

static void
test_standby_on_close (Fixture       *fixture,
                       gconstpointer  data)
{
  source_ok (fixture, CB_QUANTITY_DC_VOLTAGE, 1, 0);
  g_clear_pointer (&fixture->instrument, cb_instrument_unref);
  g_assert_false (cb_sim_get_output_on (fixture->pty->sim));
}

/* A second connection that only says who the calibrator is (an instrument
 * panel) leaves the output the operator set when it closes. */
static void
test_identify_only_keeps_output (Fixture       *fixture,
                                 gconstpointer  data)
{
  CbInstrument *watcher;

  source_ok (fixture, CB_QUANTITY_DC_VOLTAGE, 10, 0);
  watcher = sim_pty_open (fixture->pty, "calibrator", 200);
  g_assert_cmpstr (cb_instrument_get_model (watcher), ==, "5520A");
  cb_instrument_unref (watcher);
  g_assert_true (cb_sim_get_output_on (fixture->pty->sim));
  g_assert_cmpfloat (cb_sim_get_output_value (fixture->pty->sim), ==, 10);
}

static void
test_33_volts (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = NULL;

  /* The instrument's own rule: crossing 33 V drops to standby until OPER. */
  source_ok (fixture, CB_QUANTITY_DC_VOLTAGE, 10, 0);
  reply = cb_instrument_query (fixture->instrument, "OUT 100 V;OPER?", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (reply, ==, "0");
  source_ok (fixture, CB_QUANTITY_DC_VOLTAGE, 100, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/instruments/calibrator/identify", test_identify);
  ADD ("/instruments/calibrator/source-dc", test_source_dc);
  ADD ("/instruments/calibrator/source-ac", test_source_ac);
  ADD ("/instruments/calibrator/source-needs-frequency", test_source_needs_frequency);
  ADD ("/instruments/calibrator/standby/instrument-error", test_standby_on_instrument_error);
  ADD ("/instruments/calibrator/standby/garbage", test_standby_on_garbage);
  ADD ("/instruments/calibrator/standby/timeout", test_standby_on_timeout);
  ADD ("/instruments/calibrator/standby/cancel", test_standby_on_cancel);
  ADD ("/instruments/calibrator/standby/close", test_standby_on_close);
  ADD ("/instruments/calibrator/identify-only-keeps-output", test_identify_only_keeps_output);
  ADD ("/instruments/calibrator/33-volts", test_33_volts);
#undef ADD

  return g_test_run ();
}
