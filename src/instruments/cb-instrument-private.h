/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cb-driver.h"

G_BEGIN_DECLS

struct _CbInstrument
{
  gatomicrefcount      ref;
  GMutex               lock;         /* one operation at a time */
  CbTransport         *transport;
  const CbDriver      *driver;
  const CbModelQuirks *quirks;
  char                *identity;
  char                *idn;          /* *IDN? reply, asked once while probing */
  gboolean             idn_asked;
  CbMeasureSettings    settings;
  char                *unit;         /* a unit the instrument reported */
  gboolean             drove;        /* sourced, or sent raw commands: standby on close */
};

/* Helpers for the SCPI drivers. */

/* The *IDN? reply (asked once), matched against the driver's models. */
gboolean  cb_instrument_scpi_identify (CbInstrument  *instrument,
                                       GCancellable  *cancellable,
                                       GError       **error);
gboolean  cb_instrument_scpi_send     (CbInstrument  *instrument,
                                       const char    *command,
                                       GCancellable  *cancellable,
                                       GError       **error);
/* The reply without the echoed header where the model sends one; errors
 * name the command. */
char     *cb_instrument_scpi_query    (CbInstrument  *instrument,
                                       const char    *command,
                                       GCancellable  *cancellable,
                                       GError       **error);
/* Reads the error queue with @query until "0,…"; entries as sent. */
GPtrArray *cb_instrument_scpi_errors  (CbInstrument  *instrument,
                                       const char    *query,
                                       GCancellable  *cancellable,
                                       GError       **error);
/* INSTRUMENT error naming the entries when the queue was not empty. */
gboolean  cb_instrument_scpi_check    (CbInstrument  *instrument,
                                       const char    *query,
                                       const char    *after,
                                       GCancellable  *cancellable,
                                       GError       **error);
/* @text as a whole number; PROTOCOL error quoting it otherwise. */
gboolean  cb_instrument_parse_number  (CbInstrument  *instrument,
                                       const char    *command,
                                       const char    *text,
                                       double        *value,
                                       GError       **error);
void      cb_instrument_set_unsupported (CbInstrument *instrument,
                                       GError       **error,
                                       const char    *what);

G_END_DECLS
