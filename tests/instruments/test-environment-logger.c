/* SPDX-License-Identifier: GPL-3.0-or-later */

#include <math.h>
#include <string.h>

#include "instruments/cb-environment-logger.h"
#include "store/cb-store-environment.h"
#include "../store/store-test-util.h"
#include "sim-fixture.h"

/* The simulated room is at 23 °C and 45 %RH, warming by 1 °C in 10⁵ s of
 * simulated time; time moves by cb_sim_advance() only. */

#define ROOM "电学室"

typedef struct
{
  SimPty              *pty;
  CbInstrument        *sensor;
  char                *dir;
  CbStore             *store;
  CbEnvironmentLogger *logger;
  guint                n_logged;
  guint                n_alarms;
  int                  alarm_quantity;
  double               alarm_value;
  char                *alarm_message;
} Fixture;

static void
on_logged (CbEnvironmentLogger *logger,
           gint64               row,
           const char          *temperature,
           const char          *humidity,
           gpointer             user_data)
{
  Fixture *fixture = user_data;

  g_assert_cmpint (row, >, 0);
  g_assert_nonnull (temperature);
  g_assert_nonnull (humidity);
  fixture->n_logged++;
}

static void
on_alarm (CbEnvironmentLogger *logger,
          int                  quantity,
          double               value,
          double               min,
          double               max,
          const char          *message,
          gpointer             user_data)
{
  Fixture *fixture = user_data;

  fixture->n_alarms++;
  fixture->alarm_quantity = quantity;
  fixture->alarm_value = value;
  g_free (fixture->alarm_message);
  fixture->alarm_message = g_strdup (message);
}

static void
on_failed (CbEnvironmentLogger *logger,
           const GError        *error,
           gpointer             user_data)
{
  g_error ("the logger failed: %s", error->message);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  fixture->pty = sim_pty_start (CB_SIM_THERMOHYGROMETER, 7);
  fixture->sensor = sim_pty_open (fixture->pty, "thermohygrometer", 2000);
  fixture->dir = store_test_make_dir ();
  path = g_build_filename (fixture->dir, "lab.db", NULL);
  fixture->store = cb_store_open (path, &error);
  g_assert_no_error (error);
  fixture->logger = cb_environment_logger_new (fixture->sensor, fixture->store, ROOM);
  g_signal_connect (fixture->logger, "logged", G_CALLBACK (on_logged), fixture);
  g_signal_connect (fixture->logger, "alarm", G_CALLBACK (on_alarm), fixture);
  g_signal_connect (fixture->logger, "failed", G_CALLBACK (on_failed), fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->logger);
  g_clear_pointer (&fixture->sensor, cb_instrument_unref);
  sim_pty_stop (fixture->pty);
  g_clear_pointer (&fixture->store, cb_store_close);
  store_test_remove_dir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->alarm_message);
}

/* Reads once and waits for the reading to be in the log. */
static void
poll_once (Fixture *fixture)
{
  guint before = fixture->n_logged;

  cb_environment_logger_poll (fixture->logger);
  while (fixture->n_logged == before)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_log_and_alarm (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GError) error = NULL;
  CbEnvironmentReading *first;
  double temperature;

  cb_environment_logger_set_limits (fixture->logger, CB_QUANTITY_TEMPERATURE, 21, 24);
  cb_environment_logger_set_limits (fixture->logger, CB_QUANTITY_HUMIDITY, 30, NAN);

  poll_once (fixture);
  g_assert_cmpuint (fixture->n_alarms, ==, 0);

  /* 2 × 10⁵ s later the room is near 25 °C: one alarm, however many readings. */
  cb_sim_advance (fixture->pty->sim, 2e5);
  poll_once (fixture);
  g_assert_cmpuint (fixture->n_alarms, ==, 1);
  g_assert_cmpint (fixture->alarm_quantity, ==, CB_QUANTITY_TEMPERATURE);
  g_assert_cmpfloat (fixture->alarm_value, >, 24);
  g_assert_nonnull (strstr (fixture->alarm_message, "temperature"));
  g_assert_nonnull (strstr (fixture->alarm_message, ROOM));
  g_assert_nonnull (strstr (fixture->alarm_message, "21 to 24 °C"));
  {
    g_autofree char *value = g_strdup_printf ("%.1f °C", fixture->alarm_value);

    g_assert_nonnull (strstr (fixture->alarm_message, value));
  }
  poll_once (fixture);
  g_assert_cmpuint (fixture->n_alarms, ==, 1);

  /* Back within its limits, then out again: a new alarm. */
  cb_sim_advance (fixture->pty->sim, -2e5);
  poll_once (fixture);
  g_assert_cmpuint (fixture->n_alarms, ==, 1);
  cb_sim_advance (fixture->pty->sim, 2e5);
  poll_once (fixture);
  g_assert_cmpuint (fixture->n_alarms, ==, 2);

  g_assert_cmpuint (cb_environment_logger_get_n_logged (fixture->logger), ==, 5);
  log = cb_store_environment_list (fixture->store, ROOM, "2000-01-01T00:00:00Z", "2100-01-01T00:00:00Z", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (log->len, ==, 5);
  first = g_ptr_array_index (log, 0);
  g_assert_cmpstr (first->sensor, ==, "RS-WS-N01");
  g_assert_null (first->pressure);
  temperature = g_ascii_strtod (first->temperature, NULL);
  g_assert_cmpfloat (fabs (temperature - 23), <, 1);
  g_assert_cmpfloat (fabs (g_ascii_strtod (first->humidity, NULL) - 45), <, 3);
  /* The sensor's digits as it gave them: one decimal. */
  g_assert_nonnull (strchr (first->temperature, '.'));
  g_assert_cmpuint (strlen (strchr (first->temperature, '.')), ==, 2);
}

/* The limits of the methods in use: JJF 1587 wants (20 ± 2) °C, the room
 * is at 23 °C.  Starting logs a first reading at once. */
static void
test_template_limits (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *path = g_build_filename (TEMPLATE_DIR, "jjf1587-2016-digital-multimeter.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CbTemplate) tmpl = cb_template_new_from_file (path, &error);

  g_assert_no_error (error);
  cb_environment_logger_set_limits_from_template (fixture->logger, tmpl);
  cb_environment_logger_start (fixture->logger, 3600);
  while (fixture->n_logged == 0)
    g_main_context_iteration (NULL, TRUE);
  cb_environment_logger_stop (fixture->logger);
  g_assert_cmpuint (fixture->n_alarms, ==, 1);
  g_assert_cmpint (fixture->alarm_quantity, ==, CB_QUANTITY_TEMPERATURE);
  g_assert_nonnull (strstr (fixture->alarm_message, "18 to 22 °C"));
}

static void
on_alarmed_changed (GObject    *object,
                    GParamSpec *pspec,
                    gpointer    user_data)
{
  (*(guint *) user_data)++;
}

/* New limits judge the last reading at once: an alarm when it is outside
 * them, and "alarmed" cleared when wider ones take it in. */
static void
test_new_limits (Fixture       *fixture,
                 gconstpointer  data)
{
  guint n_notified = 0;

  g_signal_connect (fixture->logger, "notify::alarmed", G_CALLBACK (on_alarmed_changed), &n_notified);
  poll_once (fixture);
  g_assert_cmpuint (fixture->n_alarms, ==, 0);
  g_assert_false (cb_environment_logger_get_alarmed (fixture->logger));

  /* The simulated room is at 23 °C. */
  cb_environment_logger_set_limits (fixture->logger, CB_QUANTITY_TEMPERATURE, 18, 22);
  g_assert_cmpuint (fixture->n_alarms, ==, 1);
  g_assert_true (cb_environment_logger_get_alarmed (fixture->logger));
  g_assert_cmpuint (n_notified, ==, 1);
  g_assert_nonnull (strstr (fixture->alarm_message, "18 to 22 °C"));

  /* The same limits again: no second alarm. */
  cb_environment_logger_set_limits (fixture->logger, CB_QUANTITY_TEMPERATURE, 18, 22);
  g_assert_cmpuint (fixture->n_alarms, ==, 1);

  cb_environment_logger_set_limits (fixture->logger, CB_QUANTITY_TEMPERATURE, 15, 25);
  g_assert_cmpuint (fixture->n_alarms, ==, 1);
  g_assert_false (cb_environment_logger_get_alarmed (fixture->logger));
  g_assert_cmpuint (n_notified, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/instruments/environment-logger/log-and-alarm", Fixture, NULL,
              fixture_set_up, test_log_and_alarm, fixture_tear_down);
  g_test_add ("/instruments/environment-logger/template-limits", Fixture, NULL,
              fixture_set_up, test_template_limits, fixture_tear_down);
  g_test_add ("/instruments/environment-logger/new-limits", Fixture, NULL,
              fixture_set_up, test_new_limits, fixture_tear_down);

  return g_test_run ();
}
