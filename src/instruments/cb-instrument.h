/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cb-instrument-types.h"
#include "cb-transport.h"

G_BEGIN_DECLS

/*
 * An instrument: a transport and the driver that speaks to it.  Drivers are
 * structs of functions in one table (cb-driver.h); this is what the rest of
 * Calbench calls.  Calls are serialised: an instrument may be shared with
 * the threads of the _async calls.  A driver of a source (the calibrator)
 * puts it in standby first on any error, cancellation or close.
 */

typedef struct _CbInstrument CbInstrument;
typedef struct _CbDriver CbDriver;

/* The drivers, in probing order. */
const CbDriver * const *cb_driver_list           (guint                   *n_drivers);
const CbDriver *cb_driver_find                   (const char              *name);
const char     *cb_driver_get_name               (const CbDriver          *driver);
/* Translated one-line summary. */
const char     *cb_driver_get_summary            (const CbDriver          *driver);
/* The factory settings of the driver's instruments on a serial port. */
void            cb_driver_get_serial_settings    (const CbDriver          *driver,
                                                  CbSerialSettings        *settings);

/* Identifies the instrument on @transport (taking ownership, closed on
 * failure) with @driver, or with each driver in turn when @driver is NULL
 * (NOT_FOUND when none knows it). */
CbInstrument   *cb_instrument_open               (CbTransport             *transport,
                                                  const CbDriver          *driver,
                                                  GCancellable            *cancellable,
                                                  GError                 **error);
/* Opens @port with @driver's factory serial settings (what a real serial
 * port needs) and identifies the instrument there; blocks: on a worker
 * thread in a UI. */
CbInstrument   *cb_instrument_open_port          (const char              *port,
                                                  const CbDriver          *driver,
                                                  GCancellable            *cancellable,
                                                  GError                 **error);
CbInstrument   *cb_instrument_ref                (CbInstrument            *instrument);
/* The last reference puts a source in standby and closes the transport. */
void            cb_instrument_unref              (CbInstrument            *instrument);

const CbDriver *cb_instrument_get_driver         (CbInstrument            *instrument);
CbTransport    *cb_instrument_get_transport      (CbInstrument            *instrument);
/* The *IDN? reply as sent, or the protocol's identification. */
const char     *cb_instrument_get_identity       (CbInstrument            *instrument);
/* "34461A", "5520A", "PACE5000", "RS-WS-N01". */
const char     *cb_instrument_get_model          (CbInstrument            *instrument);

gboolean        cb_instrument_configure          (CbInstrument            *instrument,
                                                  const CbMeasureSettings *settings,
                                                  GCancellable            *cancellable,
                                                  GError                 **error);
/* One reading of the configured quantity. */
CbReading      *cb_instrument_measure            (CbInstrument            *instrument,
                                                  GCancellable            *cancellable,
                                                  GError                 **error);
/* Every reading one measurement gives (temperature and humidity), the
 * configured quantity first. */
GPtrArray      *cb_instrument_measure_all        (CbInstrument            *instrument,
                                                  GCancellable            *cancellable,
                                                  GError                 **error);
/* Sets the output and switches it on (operate, control). */
gboolean        cb_instrument_source             (CbInstrument            *instrument,
                                                  const CbSourceSettings  *settings,
                                                  GCancellable            *cancellable,
                                                  GError                 **error);
gboolean        cb_instrument_standby            (CbInstrument            *instrument,
                                                  GCancellable            *cancellable,
                                                  GError                 **error);
gboolean        cb_instrument_vent               (CbInstrument            *instrument,
                                                  GCancellable            *cancellable,
                                                  GError                 **error);
/* Empties the instrument's error queue: its entries as sent, oldest first. */
GPtrArray      *cb_instrument_query_errors       (CbInstrument            *instrument,
                                                  GCancellable            *cancellable,
                                                  GError                 **error);
/* A command and its one-line reply, for text protocols. */
char           *cb_instrument_query              (CbInstrument            *instrument,
                                                  const char              *command,
                                                  GCancellable            *cancellable,
                                                  GError                 **error);

/* The same on a worker thread, for the workstation's main loop. */
void            cb_instrument_measure_async      (CbInstrument            *instrument,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
CbReading      *cb_instrument_measure_finish     (CbInstrument            *instrument,
                                                  GAsyncResult            *result,
                                                  GError                 **error);
void            cb_instrument_source_async       (CbInstrument            *instrument,
                                                  const CbSourceSettings  *settings,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
gboolean        cb_instrument_source_finish      (CbInstrument            *instrument,
                                                  GAsyncResult            *result,
                                                  GError                 **error);
void            cb_instrument_query_async        (CbInstrument            *instrument,
                                                  const char              *command,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
char           *cb_instrument_query_finish       (CbInstrument            *instrument,
                                                  GAsyncResult            *result,
                                                  GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbInstrument, cb_instrument_unref)

G_END_DECLS
