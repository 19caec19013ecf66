/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cb-instrument.h"

G_BEGIN_DECLS

/*
 * A driver is a struct of functions and data; differences between models of
 * one family are data (CbModelQuirks), not code.  Only the instruments
 * layer and its drivers include this header.
 */

typedef enum
{
  /* A source: any error, cancellation or close puts it in standby first. */
  CB_DRIVER_STANDBY_ON_ERROR = 1 << 0,
} CbDriverFlags;

typedef struct
{
  const char *pattern;        /* glob over the *IDN? reply; NULL ends a table */
  const char *model;
  const char *init;           /* commands sent once identified, ';'-separated */
  double      max_nplc;       /* 0: no integration time setting */
  gboolean    reply_header;   /* replies repeat the header (Druck PACE) */
  guint8      modbus_address;
} CbModelQuirks;

struct _CbDriver
{
  const char          *name;
  const char          *summary;      /* marked with N_() */
  const CbModelQuirks *models;
  CbSerialSettings     serial;       /* the models' factory settings */
  const char          *terminator;
  guint                flags;
  /* Identifies the instrument, sets the instrument's quirks and identity;
   * NOT_FOUND when it is not one of the driver's models. */
  gboolean   (*probe)        (CbInstrument            *instrument,
                              GCancellable            *cancellable,
                              GError                 **error);
  gboolean   (*configure)    (CbInstrument            *instrument,
                              const CbMeasureSettings *settings,
                              GCancellable            *cancellable,
                              GError                 **error);
  gboolean   (*measure)      (CbInstrument            *instrument,
                              GPtrArray               *readings,
                              GCancellable            *cancellable,
                              GError                 **error);
  gboolean   (*source)       (CbInstrument            *instrument,
                              const CbSourceSettings  *settings,
                              GCancellable            *cancellable,
                              GError                 **error);
  gboolean   (*standby)      (CbInstrument            *instrument,
                              GCancellable            *cancellable,
                              GError                 **error);
  gboolean   (*vent)         (CbInstrument            *instrument,
                              GCancellable            *cancellable,
                              GError                 **error);
  GPtrArray *(*query_errors) (CbInstrument            *instrument,
                              GCancellable            *cancellable,
                              GError                 **error);
};

extern const CbDriver cb_driver_dmm;
extern const CbDriver cb_driver_calibrator;
extern const CbDriver cb_driver_pressure;
extern const CbDriver cb_driver_thermohygrometer;

G_END_DECLS
