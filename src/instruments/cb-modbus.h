/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cb-transport.h"

G_BEGIN_DECLS

/*
 * Modbus RTU, the part instruments here use: function 03 (read holding
 * registers), CRC-16/MODBUS, exception replies.  Shared by the
 * thermohygrometer driver and its simulator.
 */

#define CB_MODBUS_READ_HOLDING 0x03
#define CB_MODBUS_REQUEST_LENGTH 8
#define CB_MODBUS_MAX_REGISTERS 125

typedef enum
{
  CB_MODBUS_EXCEPTION_ILLEGAL_FUNCTION = 0x01,
  CB_MODBUS_EXCEPTION_ILLEGAL_ADDRESS  = 0x02,
  CB_MODBUS_EXCEPTION_ILLEGAL_VALUE    = 0x03,
  CB_MODBUS_EXCEPTION_DEVICE_FAILURE   = 0x04,
} CbModbusException;

/* CRC-16/MODBUS: polynomial 0xA001 reflected, initial 0xFFFF; sent low
 * byte first. */
guint16     cb_modbus_crc                  (const guint8   *data,
                                            gsize           length);
/* Appends the CRC to @frame, which has room for @length + 2 bytes. */
void        cb_modbus_append_crc           (guint8         *frame,
                                            gsize           length);
void        cb_modbus_build_read_request   (guint8          frame[CB_MODBUS_REQUEST_LENGTH],
                                            guint8          address,
                                            guint16         first,
                                            guint16         count);
const char *cb_modbus_exception_describe   (guint8          code);

/* Sends a function 03 request and checks the reply byte by byte; errors
 * name the byte at fault.  @raw (may be NULL) receives the reply in hex. */
gboolean    cb_modbus_read_holding         (CbTransport    *transport,
                                            guint8          address,
                                            guint16         first,
                                            guint16         count,
                                            guint16        *values,
                                            char          **raw,
                                            GCancellable   *cancellable,
                                            GError        **error);

G_END_DECLS
