/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <glib/gi18n-lib.h>

#include "cb-transport-private.h"

/*
 * TCP: the SCPI raw socket (port 5025 unless given).  GSocketClient
 * resolves and connects; the socket's descriptor is then read and written
 * like the others.
 */

static gssize
tcp_read (CbTransport   *transport,
          guint8        *buffer,
          gsize          length,
          int            timeout_ms,
          GCancellable  *cancellable,
          GError       **error)
{
  return cb_transport_fd_read (transport, transport->fd, buffer, length, timeout_ms, cancellable, error);
}

static gboolean
tcp_write (CbTransport   *transport,
           const guint8  *data,
           gsize          length,
           int            timeout_ms,
           GCancellable  *cancellable,
           GError       **error)
{
  return cb_transport_fd_write (transport, transport->fd, TRUE, data, length, timeout_ms,
                                cancellable, error);
}

static void
tcp_close (CbTransport *transport)
{
  GSocketConnection *connection = transport->backend_data;

  if (connection != NULL)
    {
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      g_object_unref (connection);
    }
  transport->backend_data = NULL;
  transport->fd = -1;
}

static const CbTransportBackend tcp_backend = {
  "tcp", tcp_read, tcp_write, tcp_close,
};

CbTransport *
cb_transport_tcp_open (const char    *host_and_port,
                       int            timeout_ms,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) local_error = NULL;
  GSocketConnection *connection;
  GSocket *socket;
  CbTransport *transport;

  g_socket_client_set_timeout (client, (guint) MAX (1, (timeout_ms + 999) / 1000));
  connection = g_socket_client_connect_to_host (client, host_and_port, CB_TRANSPORT_TCP_DEFAULT_PORT,
                                                cancellable, &local_error);
  if (connection == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_OPEN,
                     _("tcp:%s: cannot connect: %s"), host_and_port, local_error->message);
      return NULL;
    }

  socket = g_socket_connection_get_socket (connection);
  /* Commands are short and each waits for its reply: send them at once. */
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
  g_socket_set_blocking (socket, FALSE);

  transport = cb_transport_new_internal (&tcp_backend, host_and_port,
                                         g_strdup_printf ("tcp %s", host_and_port));
  transport->backend_data = connection;
  transport->fd = g_socket_get_fd (socket);
  return transport;
}
