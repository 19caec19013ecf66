/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <string.h>

#include "instruments/cb-modbus.h"
#include "sim-fixture.h"

/* Modbus RTU: the CRC, and the thermohygrometer driver against its
 * simulator, with CRC failures and exception replies. */

typedef struct
{
  SimPty       *pty;
  CbInstrument *instrument;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->pty = sim_pty_start (CB_SIM_THERMOHYGROMETER, 3);
  fixture->instrument = sim_pty_open (fixture->pty, "thermohygrometer", 200);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->instrument, cb_instrument_unref);
  sim_pty_stop (fixture->pty);
}

static void
set_fault (Fixture        *fixture,
           CbSimFaultKind  kind)
{
  CbSimFault fault = { kind, 0, 1.0, 1 };

  cb_sim_set_fault (fixture->pty->sim, &fault);
}

static void
test_crc (void)
{
  const guint8 check[] = "123456789";
  const guint8 expected[] = { 0x01, 0x03, 0x00, 0x00, 0x00, 0x0A, 0xC5, 0xCD };
  guint8 frame[CB_MODBUS_REQUEST_LENGTH];

  /* The catalogue's check value, and a request as the manuals print it. */
  g_assert_cmphex (cb_modbus_crc (check, 9), ==, 0x4B37);
  cb_modbus_build_read_request (frame, 1, 0, 10);
  g_assert_cmpmem (frame, sizeof frame, expected, sizeof expected);
}

static void
test_probe (void)
{
  SimPty *pty = sim_pty_start (CB_SIM_THERMOHYGROMETER, 3);
  /* The SCPI drivers ask first and meet silence; then Modbus answers. */
  CbInstrument *instrument = sim_pty_open (pty, NULL, 200);

  g_assert_cmpstr (cb_driver_get_name (cb_instrument_get_driver (instrument)), ==, "thermohygrometer");
  g_assert_cmpstr (cb_instrument_get_model (instrument), ==, "RS-WS-N01");
  g_assert_nonnull (strstr (cb_instrument_get_identity (instrument), "address 1"));
  cb_instrument_unref (instrument);
  sim_pty_stop (pty);
}

static void
test_measure (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) readings = NULL;
  g_autoptr(GRegex) tenths = g_regex_new ("^-?[0-9]+\\.[0-9]$", 0, 0, NULL);
  CbReading *temperature, *humidity;

  readings = cb_instrument_measure_all (fixture->instrument, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (readings->len, ==, 2);
  temperature = g_ptr_array_index (readings, 0);
  humidity = g_ptr_array_index (readings, 1);

  g_assert_cmpint (temperature->quantity, ==, CB_QUANTITY_TEMPERATURE);
  g_assert_cmpstr (temperature->unit, ==, "°C");
  g_assert_true (g_regex_match (tenths, temperature->text, 0, NULL));
  g_assert_cmpfloat_with_epsilon (temperature->value, 23.0, 1.0);
  g_assert_cmpint (humidity->quantity, ==, CB_QUANTITY_HUMIDITY);
  g_assert_cmpstr (humidity->unit, ==, "%RH");
  g_assert_cmpfloat_with_epsilon (humidity->value, 45.0, 5.0);
  /* The reply frame, as hex: address 1, function 3, four bytes of data. */
  g_assert_true (g_str_has_prefix (temperature->raw, "01 03 04 "));
  g_assert_cmpstr (temperature->raw, ==, humidity->raw);
}

static void
test_configure_humidity (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CbReading) reading = NULL;
  CbMeasureSettings settings = { CB_QUANTITY_HUMIDITY, 0, 0 };
  CbMeasureSettings voltage = { CB_QUANTITY_DC_VOLTAGE, 0, 0 };

  g_assert_true (cb_instrument_configure (fixture->instrument, &settings, NULL, &error));
  reading = cb_instrument_measure (fixture->instrument, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (reading->quantity, ==, CB_QUANTITY_HUMIDITY);

  g_assert_false (cb_instrument_configure (fixture->instrument, &voltage, NULL, &error));
  g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_UNSUPPORTED);
}

static void
test_bad_crc (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) again = NULL;

  set_fault (fixture, CB_SIM_FAULT_BAD_CRC);
  g_assert_null (cb_instrument_measure_all (fixture->instrument, NULL, &error));
  g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_CHECKSUM);
  /* Two registers: 7 bytes of frame, the CRC in bytes 8 and 9. */
  g_assert_nonnull (strstr (error->message, "bytes 8–9"));
  g_clear_error (&error);

  again = cb_instrument_measure_all (fixture->instrument, NULL, &error);
  g_assert_no_error (error);
}

static void
test_exception (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint16 value;

  g_assert_false (cb_modbus_read_holding (cb_instrument_get_transport (fixture->instrument), 1, 0x0100, 1,
                                          &value, NULL, NULL, &error));
  g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_INSTRUMENT);
  g_assert_nonnull (strstr (error->message, "0x02"));
  g_assert_nonnull (strstr (error->message, "byte 3"));
}

static void
test_garbage (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) again = NULL;

  set_fault (fixture, CB_SIM_FAULT_GARBAGE);
  g_assert_null (cb_instrument_measure_all (fixture->instrument, NULL, &error));
  g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "byte 1"));
  g_clear_error (&error);

  again = cb_instrument_measure_all (fixture->instrument, NULL, &error);
  g_assert_no_error (error);
}

static void
test_stall (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  set_fault (fixture, CB_SIM_FAULT_STALL);
  g_assert_null (cb_instrument_measure_all (fixture->instrument, NULL, &error));
  g_assert_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_TIMEOUT);
  g_assert_nonnull (strstr (error->message, "200 ms"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/instruments/modbus/crc", test_crc);
  g_test_add_func ("/instruments/thermohygrometer/probe", test_probe);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/instruments/thermohygrometer/measure", test_measure);
  ADD ("/instruments/thermohygrometer/configure-humidity", test_configure_humidity);
  ADD ("/instruments/thermohygrometer/bad-crc", test_bad_crc);
  ADD ("/instruments/thermohygrometer/exception", test_exception);
  ADD ("/instruments/thermohygrometer/garbage", test_garbage);
  ADD ("/instruments/thermohygrometer/stall", test_stall);
#undef ADD

  return g_test_run ();
}
