/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cb-store.h"

G_BEGIN_DECLS

/*
 * The environment log: temperature (℃), relative humidity (%) and air
 * pressure (kPa) per room and sensor, and the conditions in a room at a
 * given time, which a record and its certificate state.
 */

typedef struct
{
  gint64  id;
  char   *room;
  char   *sensor;
  char   *measured_at;   /* UTC, YYYY-MM-DDTHH:MM:SSZ */
  char   *temperature;   /* as the sensor gave it, NULL when not measured */
  char   *humidity;
  char   *pressure;
} CbEnvironmentReading;

void                   cb_environment_reading_free  (CbEnvironmentReading  *reading);

/* @measured_at: ISO 8601 with a zone; the values are decimal numbers as
 * text (kept exactly as given), each may be NULL but not all three. */
gint64                 cb_store_environment_add     (CbStore               *store,
                                                     const char            *room,
                                                     const char            *sensor,
                                                     const char            *measured_at,
                                                     const char            *temperature,
                                                     const char            *humidity,
                                                     const char            *pressure,
                                                     GError               **error);
/* The conditions in @room at @time: the last reading at or before it, no
 * older than @max_age_minutes (0: any age).  NOT_FOUND when there is none. */
CbEnvironmentReading  *cb_store_environment_at      (CbStore               *store,
                                                     const char            *room,
                                                     const char            *time,
                                                     guint                  max_age_minutes,
                                                     GError               **error);
/* CbEnvironmentReading of @room from @from to @to (ISO 8601), oldest first. */
GPtrArray             *cb_store_environment_list    (CbStore               *store,
                                                     const char            *room,
                                                     const char            *from,
                                                     const char            *to,
                                                     GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbEnvironmentReading, cb_environment_reading_free)

G_END_DECLS
