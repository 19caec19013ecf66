/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "core/cb-template.h"
#include "store/cb-store.h"
#include "cb-instrument.h"

G_BEGIN_DECLS

/*
 * Logs a room's conditions: the room's thermohygrometer is read at an
 * interval (a timer on the main context of the thread that started the
 * logger, the reading itself on a worker thread), each reading goes to the
 * store's environment log, and a value leaving its limits raises "alarm"
 * once, until it is back within them.
 */

#define CB_TYPE_ENVIRONMENT_LOGGER (cb_environment_logger_get_type ())

G_DECLARE_FINAL_TYPE (CbEnvironmentLogger, cb_environment_logger, CB, ENVIRONMENT_LOGGER, GObject)

CbEnvironmentLogger *cb_environment_logger_new          (CbInstrument         *sensor,
                                                         CbStore              *store,
                                                         const char           *room);
/* A logger of its own port: it opens the sensor on the first reading, on
 * a worker thread, and again after a reading failed (unplugged, garbled). */
CbEnvironmentLogger *cb_environment_logger_new_for_port (const char          *port,
                                                         CbStore              *store,
                                                         const char           *room);
const char          *cb_environment_logger_get_room     (CbEnvironmentLogger  *self);
const char          *cb_environment_logger_get_port     (CbEnvironmentLogger  *self);
/* Why the last reading failed; NULL once one succeeded ("error"). */
const char          *cb_environment_logger_get_error    (CbEnvironmentLogger  *self);
/* Whether the last reading was outside a limit (an alarm was raised). */
gboolean             cb_environment_logger_get_alarmed  (CbEnvironmentLogger  *self);
/* The last logged values as the sensor sent them (either may be NULL);
 * FALSE before the first. */
gboolean             cb_environment_logger_get_last     (CbEnvironmentLogger  *self,
                                                         const char          **temperature,
                                                         const char          **humidity);
/* The sensor's name in the log; the instrument's model unless set. */
void                 cb_environment_logger_set_sensor_name (CbEnvironmentLogger *self,
                                                         const char           *name);
/* Limits of @quantity (temperature or humidity); NAN leaves a side open.
 * New limits judge the last reading at once (an alarm, or "alarmed"
 * cleared). */
void                 cb_environment_logger_set_limits   (CbEnvironmentLogger  *self,
                                                         CbQuantity            quantity,
                                                         double                min,
                                                         double                max);
/* The limits of the template's "environment" items named temperature and
 * humidity, in place of those set before. */
void                 cb_environment_logger_set_limits_from_template (CbEnvironmentLogger *self,
                                                         CbTemplate           *tmpl);
/* Reads now, then every @interval_seconds until stopped. */
void                 cb_environment_logger_start        (CbEnvironmentLogger  *self,
                                                         guint                 interval_seconds);
void                 cb_environment_logger_stop         (CbEnvironmentLogger  *self);
/* One reading now, unless one is under way. */
void                 cb_environment_logger_poll         (CbEnvironmentLogger  *self);
guint                cb_environment_logger_get_n_logged (CbEnvironmentLogger  *self);

G_END_DECLS
