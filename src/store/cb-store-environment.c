/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cb-store-environment.h"
#include "cb-store-private.h"

void
cb_environment_reading_free (CbEnvironmentReading *reading)
{
  if (reading == NULL)
    return;
  g_free (reading->room);
  g_free (reading->sensor);
  g_free (reading->measured_at);
  g_free (reading->temperature);
  g_free (reading->humidity);
  g_free (reading->pressure);
  g_free (reading);
}

#define READING_COLUMNS "id, room, sensor, measured_at, temperature, humidity, pressure"

static gpointer
read_reading (sqlite3_stmt *stmt)
{
  CbEnvironmentReading *reading = g_new0 (CbEnvironmentReading, 1);

  reading->id = sqlite3_column_int64 (stmt, 0);
  reading->room = cb_store_column_dup (stmt, 1);
  reading->sensor = cb_store_column_dup (stmt, 2);
  reading->measured_at = cb_store_column_dup (stmt, 3);
  reading->temperature = cb_store_column_dup (stmt, 4);
  reading->humidity = cb_store_column_dup (stmt, 5);
  reading->pressure = cb_store_column_dup (stmt, 6);
  return reading;
}

gint64
cb_store_environment_add (CbStore     *store,
                          const char  *room,
                          const char  *sensor,
                          const char  *measured_at,
                          const char  *temperature,
                          const char  *humidity,
                          const char  *pressure,
                          GError     **error)
{
  g_autoptr(CbStoreRow) row = cb_store_row_new ("environment_log");
  g_autofree char *utc = NULL;

  if (!cb_store_expect_text (room, _("environment room"), _("the name of a room"), error) ||
      !cb_store_expect_text (sensor, _("environment sensor"), _("the sensor's name"), error) ||
      !cb_store_expect_number (temperature, TRUE, _("environment temperature"), error) ||
      !cb_store_expect_number (humidity, TRUE, _("environment humidity"), error) ||
      !cb_store_expect_number (pressure, TRUE, _("environment pressure"), error))
    return 0;
  if (temperature == NULL && humidity == NULL && pressure == NULL)
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                   _("environment reading: expected a temperature, a humidity or a pressure"));
      return 0;
    }
  if (humidity != NULL && (g_ascii_strtod (humidity, NULL) < 0 || g_ascii_strtod (humidity, NULL) > 100))
    {
      g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_INVALID,
                   _("environment humidity: expected a relative humidity from 0 to 100 %%, not %s"), humidity);
      return 0;
    }
  utc = cb_store_expect_time (measured_at, _("environment measured at"), error);
  if (utc == NULL)
    return 0;
  cb_store_row_text (row, "room", room);
  cb_store_row_text (row, "sensor", sensor);
  cb_store_row_text (row, "measured_at", utc);
  cb_store_row_text (row, "temperature", temperature);
  cb_store_row_text (row, "humidity", humidity);
  cb_store_row_text (row, "pressure", pressure);
  return cb_store_row_insert (store, row, NULL, error);
}

CbEnvironmentReading *
cb_store_environment_at (CbStore     *store,
                         const char  *room,
                         const char  *time,
                         guint        max_age_minutes,
                         GError     **error)
{
  g_autofree char *utc = cb_store_expect_time (time, _("environment time"), error);
  g_autoptr(GDateTime) at = NULL;
  g_autoptr(GDateTime) oldest = NULL;
  g_autofree char *oldest_text = NULL;
  CbEnvironmentReading *reading = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (utc == NULL || !cb_store_expect_text (room, _("environment room"), _("the name of a room"), error))
    return NULL;
  if (max_age_minutes > 0)
    {
      at = g_date_time_new_from_iso8601 (utc, NULL);
      oldest = g_date_time_add_minutes (at, -(int) max_age_minutes);
      oldest_text = g_date_time_format (oldest, "%Y-%m-%dT%H:%M:%SZ");
    }

  /* Served by the (room, measured_at) index: one step back from @time. */
  stmt = cb_store_query (store,
                         "SELECT " READING_COLUMNS " FROM environment_log"
                         " WHERE room = ?1 AND measured_at <= ?2 AND (?3 IS NULL OR measured_at >= ?3)"
                         " ORDER BY measured_at DESC, id DESC LIMIT 1",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, room, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, utc, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, oldest_text, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    reading = read_reading (stmt);
  else if (rc == SQLITE_DONE && max_age_minutes > 0)
    g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_NOT_FOUND,
                 _("%s: no environment reading in the %u minutes before %s"), room, max_age_minutes, utc);
  else if (rc == SQLITE_DONE)
    g_set_error (error, CB_STORE_ERROR, CB_STORE_ERROR_NOT_FOUND,
                 _("%s: no environment reading at or before %s"), room, utc);
  else
    cb_store_set_sqlite_error (store, error, _("environment log"));
  sqlite3_finalize (stmt);
  return reading;
}

GPtrArray *
cb_store_environment_list (CbStore     *store,
                           const char  *room,
                           const char  *from,
                           const char  *to,
                           GError     **error)
{
  g_autofree char *from_utc = cb_store_expect_time (from, _("environment from"), error);
  g_autofree char *to_utc = NULL;
  sqlite3_stmt *stmt;

  if (from_utc == NULL)
    return NULL;
  to_utc = cb_store_expect_time (to, _("environment to"), error);
  if (to_utc == NULL)
    return NULL;
  stmt = cb_store_query (store,
                         "SELECT " READING_COLUMNS " FROM environment_log"
                         " WHERE room = ?1 AND measured_at >= ?2 AND measured_at <= ?3 ORDER BY measured_at, id",
                         error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, room, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, from_utc, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, to_utc, -1, SQLITE_TRANSIENT);
  return cb_store_read_all (store, stmt, read_reading, (GDestroyNotify) cb_environment_reading_free, error);
}
