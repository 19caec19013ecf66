/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "cb-modbus.h"

guint16
cb_modbus_crc (const guint8 *data,
               gsize         length)
{
  guint16 crc = 0xffff;

  for (gsize i = 0; i < length; i++)
    {
      crc ^= data[i];
      for (int bit = 0; bit < 8; bit++)
        crc = (crc & 1) ? (guint16) ((crc >> 1) ^ 0xa001) : (guint16) (crc >> 1);
    }
  return crc;
}

void
cb_modbus_append_crc (guint8 *frame,
                      gsize   length)
{
  guint16 crc = cb_modbus_crc (frame, length);

  frame[length] = (guint8) (crc & 0xff);
  frame[length + 1] = (guint8) (crc >> 8);
}

void
cb_modbus_build_read_request (guint8  frame[CB_MODBUS_REQUEST_LENGTH],
                              guint8  address,
                              guint16 first,
                              guint16 count)
{
  frame[0] = address;
  frame[1] = CB_MODBUS_READ_HOLDING;
  frame[2] = (guint8) (first >> 8);
  frame[3] = (guint8) (first & 0xff);
  frame[4] = (guint8) (count >> 8);
  frame[5] = (guint8) (count & 0xff);
  cb_modbus_append_crc (frame, 6);
}

const char *
cb_modbus_exception_describe (guint8 code)
{
  switch (code)
    {
    case CB_MODBUS_EXCEPTION_ILLEGAL_FUNCTION:
      return _("illegal function");
    case CB_MODBUS_EXCEPTION_ILLEGAL_ADDRESS:
      return _("illegal data address");
    case CB_MODBUS_EXCEPTION_ILLEGAL_VALUE:
      return _("illegal data value");
    case CB_MODBUS_EXCEPTION_DEVICE_FAILURE:
      return _("server device failure");
    default:
      return _("unknown exception");
    }
}

/* The reply's CRC against the one computed over its first @length bytes. */
static gboolean
check_crc (CbTransport   *transport,
           const guint8  *reply,
           gsize          length,
           GError       **error)
{
  guint16 computed = cb_modbus_crc (reply, length);
  guint16 received = (guint16) (reply[length] | (reply[length + 1] << 8));

  if (computed == received)
    return TRUE;
  g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_CHECKSUM,
               _("%s: Modbus CRC mismatch in bytes %zu–%zu of the reply: received 0x%04X, computed 0x%04X"),
               cb_transport_get_port (transport), length + 1, length + 2, received, computed);
  return FALSE;
}

gboolean
cb_modbus_read_holding (CbTransport   *transport,
                        guint8         address,
                        guint16        first,
                        guint16        count,
                        guint16       *values,
                        char         **raw,
                        GCancellable  *cancellable,
                        GError       **error)
{
  guint8 request[CB_MODBUS_REQUEST_LENGTH];
  guint8 reply[5 + 2 * CB_MODBUS_MAX_REGISTERS];
  const char *port = cb_transport_get_port (transport);
  gsize length;

  g_return_val_if_fail (count >= 1 && count <= CB_MODBUS_MAX_REGISTERS, FALSE);

  cb_modbus_build_read_request (request, address, first, count);
  if (!cb_transport_write (transport, request, sizeof request, cancellable, error))
    return FALSE;

  /* Address, function and the byte count or exception code come first. */
  if (!cb_transport_read_bytes (transport, reply, 3, -1, cancellable, error))
    return FALSE;
  if (reply[0] != address)
    {
      g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_PROTOCOL,
                   _("%s: byte 1 of the Modbus reply is 0x%02X, expected the address 0x%02X"),
                   port, reply[0], address);
      cb_transport_discard_input (transport, 20);
      return FALSE;
    }
  if (reply[1] == (CB_MODBUS_READ_HOLDING | 0x80))
    {
      if (!cb_transport_read_bytes (transport, reply + 3, 2, -1, cancellable, error) ||
          !check_crc (transport, reply, 3, error))
        return FALSE;
      g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_INSTRUMENT,
                   _("%s: Modbus exception 0x%02X (%s) in byte 3 of the reply to reading %u registers from 0x%04X"),
                   port, reply[2], cb_modbus_exception_describe (reply[2]), count, first);
      return FALSE;
    }
  if (reply[1] != CB_MODBUS_READ_HOLDING)
    {
      g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_PROTOCOL,
                   _("%s: byte 2 of the Modbus reply is 0x%02X, expected the function 0x03"),
                   port, reply[1]);
      cb_transport_discard_input (transport, 20);
      return FALSE;
    }
  if (reply[2] != 2 * count)
    {
      g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_PROTOCOL,
                   _("%s: byte 3 of the Modbus reply counts %u bytes, expected %u"),
                   port, reply[2], 2u * count);
      cb_transport_discard_input (transport, 20);
      return FALSE;
    }

  length = 3 + 2 * (gsize) count;
  if (!cb_transport_read_bytes (transport, reply + 3, length + 2 - 3, -1, cancellable, error))
    return FALSE;
  if (!check_crc (transport, reply, length, error))
    {
      cb_transport_discard_input (transport, 20);
      return FALSE;
    }
  if (raw != NULL)
    *raw = cb_instrument_hex_bytes (reply, length + 2);

  for (guint i = 0; i < count; i++)
    values[i] = (guint16) ((reply[3 + 2 * i] << 8) | reply[4 + 2 * i]);
  return TRUE;
}
