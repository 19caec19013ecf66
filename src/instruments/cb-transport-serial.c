/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <stdlib.h>

#include <libserialport.h>
#include <glib/gi18n-lib.h>

#include "cb-transport-private.h"

/*
 * libserialport: real serial and USB-serial ports.  Waiting is done with
 * poll() on the port's descriptor (sp_get_port_handle), so reads keep the
 * same deadlines and cancellation as the other backends.
 */

static void
set_sp_error (GError         **error,
              int              code,
              const char      *path,
              const char      *what)
{
  g_autofree char *message = sp_last_error_message ();

  g_set_error (error, CB_INSTRUMENT_ERROR, code, "%s: %s: %s", path, what,
               message != NULL ? message : "libserialport");
}

static gssize
serial_read (CbTransport   *transport,
             guint8        *buffer,
             gsize          length,
             int            timeout_ms,
             GCancellable  *cancellable,
             GError       **error)
{
  return cb_transport_fd_read (transport, transport->fd, buffer, length, timeout_ms, cancellable, error);
}

static gboolean
serial_write (CbTransport   *transport,
              const guint8  *data,
              gsize          length,
              int            timeout_ms,
              GCancellable  *cancellable,
              GError       **error)
{
  return cb_transport_fd_write (transport, transport->fd, FALSE, data, length, timeout_ms,
                                cancellable, error);
}

static void
serial_close (CbTransport *transport)
{
  struct sp_port *port = transport->backend_data;

  if (port != NULL)
    {
      sp_close (port);
      sp_free_port (port);
    }
  transport->backend_data = NULL;
  transport->fd = -1;
}

static const CbTransportBackend serial_backend = {
  "libserialport", serial_read, serial_write, serial_close,
};

gboolean
cb_transport_serial_knows (const char *path)
{
  struct sp_port **ports = NULL;
  g_autofree char *real = realpath (path, NULL);
  gboolean known = FALSE;

  if (real == NULL || sp_list_ports (&ports) != SP_OK)
    return FALSE;
  for (guint i = 0; ports[i] != NULL && !known; i++)
    known = g_str_equal (sp_get_port_name (ports[i]), real);
  sp_free_port_list (ports);
  return known;
}

CbTransport *
cb_transport_serial_open (const char              *path,
                          const CbSerialSettings  *settings,
                          GError                 **error)
{
  struct sp_port *port = NULL;
  CbTransport *transport;
  enum sp_parity parity;
  enum sp_flowcontrol flow;
  char *vid_pid = NULL;
  int vid = -1, pid = -1;
  int fd = -1;

  if (sp_get_port_by_name (path, &port) != SP_OK)
    {
      set_sp_error (error, CB_INSTRUMENT_ERROR_OPEN, path, _("no such serial port"));
      return NULL;
    }
  if (sp_open (port, SP_MODE_READ_WRITE) != SP_OK)
    {
      set_sp_error (error, CB_INSTRUMENT_ERROR_OPEN, path, _("cannot open the port"));
      sp_free_port (port);
      return NULL;
    }

  parity = settings->parity == CB_PARITY_ODD ? SP_PARITY_ODD :
           settings->parity == CB_PARITY_EVEN ? SP_PARITY_EVEN : SP_PARITY_NONE;
  flow = settings->flow == CB_FLOW_XONXOFF ? SP_FLOWCONTROL_XONXOFF :
         settings->flow == CB_FLOW_RTSCTS ? SP_FLOWCONTROL_RTSCTS : SP_FLOWCONTROL_NONE;
  if (sp_set_baudrate (port, settings->baud) != SP_OK ||
      sp_set_bits (port, settings->data_bits) != SP_OK ||
      sp_set_parity (port, parity) != SP_OK ||
      sp_set_stopbits (port, settings->stop_bits) != SP_OK ||
      sp_set_flowcontrol (port, flow) != SP_OK ||
      sp_get_port_handle (port, &fd) != SP_OK)
    {
      set_sp_error (error, CB_INSTRUMENT_ERROR_OPEN, path, _("cannot configure the port"));
      sp_close (port);
      sp_free_port (port);
      return NULL;
    }
  sp_flush (port, SP_BUF_BOTH);

  if (sp_get_port_transport (port) == SP_TRANSPORT_USB &&
      sp_get_port_usb_vid_pid (port, &vid, &pid) == SP_OK)
    vid_pid = g_strdup_printf (" %04x:%04x", vid, pid);
  transport = cb_transport_new_internal (&serial_backend, path,
                                         g_strdup_printf ("libserialport %s (%s%s) %d %d%c%d",
                                                          path,
                                                          sp_get_port_description (port) != NULL ? sp_get_port_description (port) : "",
                                                          vid_pid != NULL ? vid_pid : "",
                                                          settings->baud, settings->data_bits,
                                                          "NOE"[settings->parity],
                                                          settings->stop_bits));
  g_free (vid_pid);
  transport->backend_data = port;
  transport->fd = fd;
  return transport;
}

GPtrArray *
cb_transport_list_ports (GError **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) cb_port_info_free);
  struct sp_port **ports = NULL;

  if (sp_list_ports (&ports) != SP_OK)
    {
      set_sp_error (error, CB_INSTRUMENT_ERROR_IO, "libserialport", _("cannot list the serial ports"));
      return NULL;
    }
  for (guint i = 0; ports[i] != NULL; i++)
    {
      CbPortInfo *info = g_new0 (CbPortInfo, 1);
      enum sp_transport kind = sp_get_port_transport (ports[i]);
      const char *serial = NULL;

      info->name = g_strdup (sp_get_port_name (ports[i]));
      info->description = g_strdup (sp_get_port_description (ports[i]));
      info->kind = g_strdup (kind == SP_TRANSPORT_USB ? "USB" :
                             kind == SP_TRANSPORT_BLUETOOTH ? "Bluetooth" : "native");
      info->vid = info->pid = -1;
      if (kind == SP_TRANSPORT_USB)
        {
          sp_get_port_usb_vid_pid (ports[i], &info->vid, &info->pid);
          serial = sp_get_port_usb_serial (ports[i]);
        }
      info->serial = g_strdup (serial);
      g_ptr_array_add (list, info);
    }
  sp_free_port_list (ports);
  return g_steal_pointer (&list);
}
