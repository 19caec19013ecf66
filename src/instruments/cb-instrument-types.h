/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * What the instruments layer shares: its error domain, the quantities it
 * measures and sources, and a reading as an instrument gave it.  Transports,
 * drivers and the simulators all build on this header.
 */

#define CB_INSTRUMENT_ERROR (cb_instrument_error_quark ())

typedef enum
{
  CB_INSTRUMENT_ERROR_OPEN,          /* the port cannot be opened or configured */
  CB_INSTRUMENT_ERROR_IO,            /* a read or write failed for another reason */
  CB_INSTRUMENT_ERROR_TIMEOUT,       /* no (complete) reply within the timeout */
  CB_INSTRUMENT_ERROR_DISCONNECTED,  /* end of file, hang-up or EIO on the port */
  CB_INSTRUMENT_ERROR_PROTOCOL,      /* a reply that does not parse: quotes the bytes */
  CB_INSTRUMENT_ERROR_CHECKSUM,      /* a frame whose CRC does not match: names the bytes */
  CB_INSTRUMENT_ERROR_INSTRUMENT,    /* the instrument reported an error or exception */
  CB_INSTRUMENT_ERROR_NOT_FOUND,     /* no such driver, or no driver knows the instrument */
  CB_INSTRUMENT_ERROR_UNSUPPORTED,   /* the driver cannot do that */
  CB_INSTRUMENT_ERROR_INVALID,       /* a bad port name, value, unit or setting */
} CbInstrumentError;

/* Buffers and lines are bounded: an instrument never makes us grow memory. */
#define CB_INSTRUMENT_MAX_LINE (64 * 1024)

typedef enum
{
  CB_QUANTITY_DC_VOLTAGE,
  CB_QUANTITY_AC_VOLTAGE,
  CB_QUANTITY_DC_CURRENT,
  CB_QUANTITY_AC_CURRENT,
  CB_QUANTITY_RESISTANCE,
  CB_QUANTITY_PRESSURE,
  CB_QUANTITY_TEMPERATURE,
  CB_QUANTITY_HUMIDITY,
} CbQuantity;

#define CB_N_QUANTITIES (CB_QUANTITY_HUMIDITY + 1)

/* What a measurement is set up for.  A range of 0 is autorange; an NPLC of 0
 * is the instrument's default integration time. */
typedef struct
{
  CbQuantity quantity;
  double     range;
  double     nplc;
} CbMeasureSettings;

/* What a source (calibrator output, pressure set point) should give.
 * @unit is the base unit of @quantity ("V", "A", "Ω", "bar"); a @frequency
 * of 0 is DC. */
typedef struct
{
  CbQuantity  quantity;
  double      value;
  double      frequency;
} CbSourceSettings;

/* One reading as the instrument gave it.  @text keeps the digits exactly as
 * sent ("+1.00000123E+00"); @value is its double (NAN on overload); @raw is
 * the whole reply, binary replies as hexadecimal bytes ("01 03 04 …"). */
typedef struct
{
  CbQuantity  quantity;
  char       *text;
  double      value;
  char       *unit;
  gboolean    overload;
  gboolean    stable;     /* FALSE while a controller is still settling */
  char       *raw;
  GDateTime  *time;       /* UTC, when the reply was complete */
} CbReading;

GQuark      cb_instrument_error_quark (void);

/* "dcv", "acv", "dci", "aci", "res", "pressure", "temperature", "humidity". */
const char *cb_quantity_to_name       (CbQuantity         quantity);
gboolean    cb_quantity_from_name     (const char        *name,
                                       CbQuantity        *quantity);
/* The quantity in words, translated: "DC voltage". */
const char *cb_quantity_describe      (CbQuantity         quantity);
/* The base unit: "V", "A", "Ω", "bar", "°C", "%RH". */
const char *cb_quantity_unit          (CbQuantity         quantity);

CbReading  *cb_reading_new            (CbQuantity         quantity,
                                       const char        *text,
                                       double             value,
                                       const char        *unit,
                                       const char        *raw);
void        cb_reading_free           (CbReading         *reading);
/* "2026-03-01T08:15:02.123456Z". */
char       *cb_reading_format_time    (const CbReading   *reading);

/* Printable text of bytes from an instrument: non-printing bytes as \xNN,
 * at most @max_bytes of them (then "…"). */
char       *cb_instrument_quote_bytes (const guint8      *data,
                                       gsize              length,
                                       gsize              max_bytes);
/* "01 03 04 01 C2" */
char       *cb_instrument_hex_bytes   (const guint8      *data,
                                       gsize              length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbReading, cb_reading_free)

G_END_DECLS
