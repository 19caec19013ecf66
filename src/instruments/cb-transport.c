/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib/gi18n-lib.h>

#include "cb-transport-private.h"

/* Bytes of a partial reply quoted in errors. */
#define QUOTE_MAX 64

static gssize fd_backend_read  (CbTransport   *transport,
                                guint8        *buffer,
                                gsize          length,
                                int            timeout_ms,
                                GCancellable  *cancellable,
                                GError       **error);
static gboolean fd_backend_write (CbTransport   *transport,
                                  const guint8  *data,
                                  gsize          length,
                                  int            timeout_ms,
                                  GCancellable  *cancellable,
                                  GError       **error);
static void fd_backend_close   (CbTransport   *transport);

static const CbTransportBackend fd_backend = {
  "fd", fd_backend_read, fd_backend_write, fd_backend_close,
};

static const guint8 *
find_terminator (const guint8 *data,
                 gsize         length,
                 const char   *terminator,
                 gsize         term_length)
{
  const guint8 *p = data;
  const guint8 *end = data + length;

  while (p + term_length <= end)
    {
      p = memchr (p, terminator[0], (gsize) (end - p));
      if (p == NULL || p + term_length > end)
        return NULL;
      if (memcmp (p, terminator, term_length) == 0)
        return p;
      p++;
    }
  return NULL;
}

/* Milliseconds left until @deadline (monotonic µs), rounded up. */
static int
remaining_ms (gint64 deadline)
{
  gint64 left = deadline - g_get_monotonic_time ();

  if (left <= 0)
    return 0;
  return (int) MIN ((left + 999) / 1000, G_MAXINT);
}

static void
set_disconnected (GError      **error,
                  CbTransport  *transport,
                  const char   *why)
{
  g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_DISCONNECTED,
               _("%s: the instrument disconnected (%s)"), transport->port, why);
}

/* Waits for @events on @fd, or the cancellable; FALSE with an error on
 * timeout or cancellation. */
static gboolean
wait_fd (CbTransport   *transport,
         int            fd,
         short          events,
         gint64         deadline,
         short         *revents,
         GCancellable  *cancellable,
         GError       **error)
{
  struct pollfd fds[2] = { { fd, events, 0 }, { -1, POLLIN, 0 } };
  GPollFD cancel_fd;
  gboolean have_cancel = FALSE;
  gboolean ok = FALSE;

  if (cancellable != NULL && g_cancellable_make_pollfd (cancellable, &cancel_fd))
    {
      fds[1].fd = cancel_fd.fd;
      have_cancel = TRUE;
    }

  for (;;)
    {
      int rc;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        break;
      rc = poll (fds, have_cancel ? 2 : 1, remaining_ms (deadline));
      if (rc < 0 && errno == EINTR)
        continue;
      if (rc < 0)
        {
          int saved = errno;

          g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_IO,
                       "%s: poll: %s", transport->port, g_strerror (saved));
          break;
        }
      if (rc == 0)
        {
          g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_TIMEOUT,
                       _("%s: nothing within the timeout"), transport->port);
          break;
        }
      if (fds[0].revents != 0)
        {
          *revents = fds[0].revents;
          ok = TRUE;
          break;
        }
    }

  if (have_cancel)
    g_cancellable_release_fd (cancellable);
  return ok;
}

gssize
cb_transport_fd_read (CbTransport   *transport,
                      int            fd,
                      guint8        *buffer,
                      gsize          length,
                      int            timeout_ms,
                      GCancellable  *cancellable,
                      GError       **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  for (;;)
    {
      ssize_t got;
      short revents = 0;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return -1;

      /* Try first: a reply often waits already, and that saves a poll(). */
      got = read (fd, buffer, length);
      if (got > 0)
        return got;
      if (got == 0)
        {
          set_disconnected (error, transport, _("end of file"));
          return -1;
        }
      if (errno == EIO || errno == ECONNRESET || errno == ENXIO)
        {
          set_disconnected (error, transport, g_strerror (errno));
          return -1;
        }
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
        {
          int saved = errno;

          g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_IO,
                       _("%s: reading: %s"), transport->port, g_strerror (saved));
          return -1;
        }

      if (!wait_fd (transport, fd, POLLIN, deadline, &revents, cancellable, error))
        return -1;
      if ((revents & POLLIN) == 0 && (revents & (POLLHUP | POLLERR | POLLNVAL)) != 0)
        {
          set_disconnected (error, transport, _("hang-up"));
          return -1;
        }
    }
}

gboolean
cb_transport_fd_write (CbTransport   *transport,
                       int            fd,
                       gboolean       is_socket,
                       const guint8  *data,
                       gsize          length,
                       int            timeout_ms,
                       GCancellable  *cancellable,
                       GError       **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gsize done = 0;

  while (done < length)
    {
      ssize_t n;
      short revents = 0;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      /* send() with MSG_NOSIGNAL: a closed socket is an error, not SIGPIPE. */
      if (is_socket)
        n = send (fd, data + done, length - done, MSG_NOSIGNAL);
      else
        n = write (fd, data + done, length - done);
      if (n > 0)
        {
          done += (gsize) n;
          continue;
        }
      if (n < 0 && (errno == EIO || errno == EPIPE || errno == ECONNRESET || errno == ENXIO))
        {
          set_disconnected (error, transport, g_strerror (errno));
          return FALSE;
        }
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
        {
          int saved = errno;

          g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_IO,
                       _("%s: writing: %s"), transport->port, g_strerror (saved));
          return FALSE;
        }
      if (!wait_fd (transport, fd, POLLOUT, deadline, &revents, cancellable, error))
        {
          if (error != NULL && *error != NULL &&
              g_error_matches (*error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_TIMEOUT))
            {
              g_clear_error (error);
              g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_TIMEOUT,
                           _("%s: the instrument accepted no data within %d ms"),
                           transport->port, timeout_ms);
            }
          return FALSE;
        }
      if ((revents & POLLOUT) == 0)
        {
          set_disconnected (error, transport, _("hang-up"));
          return FALSE;
        }
    }
  return TRUE;
}

static gssize
fd_backend_read (CbTransport   *transport,
                 guint8        *buffer,
                 gsize          length,
                 int            timeout_ms,
                 GCancellable  *cancellable,
                 GError       **error)
{
  return cb_transport_fd_read (transport, transport->fd, buffer, length, timeout_ms, cancellable, error);
}

static gboolean
fd_backend_write (CbTransport   *transport,
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
fd_backend_close (CbTransport *transport)
{
  if (transport->fd >= 0)
    close (transport->fd);
  transport->fd = -1;
}

CbTransport *
cb_transport_new_internal (const CbTransportBackend *backend,
                           const char               *port,
                           char                     *description)
{
  CbTransport *transport = g_new0 (CbTransport, 1);

  transport->backend = backend;
  transport->fd = -1;
  transport->port = g_strdup (port);
  transport->description = description;
  g_strlcpy (transport->terminator, "\n", sizeof transport->terminator);
  transport->timeout_ms = CB_TRANSPORT_DEFAULT_TIMEOUT_MS;
  transport->buffer = g_malloc (CB_INSTRUMENT_MAX_LINE);
  return transport;
}

CbTransport *
cb_transport_new_for_fd (int         fd,
                         const char *name)
{
  CbTransport *transport;
  struct termios tio;

  g_return_val_if_fail (fd >= 0, NULL);

  transport = cb_transport_new_internal (&fd_backend, name, g_strdup (name));
  transport->fd = fd;
  g_unix_set_fd_nonblocking (fd, TRUE, NULL);
  /* A terminal with VMIN 0 reads 0 bytes when idle, which would look like
   * a hang-up. */
  if (isatty (fd) && tcgetattr (fd, &tio) == 0 && tio.c_cc[VMIN] == 0)
    {
      tio.c_cc[VMIN] = 1;
      tcsetattr (fd, TCSANOW, &tio);
    }
  return transport;
}

CbTransport *
cb_transport_open (const char              *port,
                   const CbSerialSettings  *settings,
                   GCancellable            *cancellable,
                   GError                 **error)
{
  CbSerialSettings defaults = CB_SERIAL_SETTINGS_DEFAULT;

  if (settings == NULL)
    settings = &defaults;

  if (port == NULL || *port == '\0')
    {
      g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_INVALID,
                   _("expected a port: a device path, tcp:HOST:PORT or /dev/usbtmcN"));
      return NULL;
    }
  if (g_str_has_prefix (port, "tcp:"))
    {
      CbTransport *transport = cb_transport_tcp_open (port + strlen ("tcp:"),
                                                      CB_TRANSPORT_DEFAULT_TIMEOUT_MS,
                                                      cancellable, error);
      if (transport != NULL)
        {
          g_free (transport->port);
          transport->port = g_strdup (port);
        }
      return transport;
    }
  if (g_str_has_prefix (port, "/dev/usbtmc"))
    return cb_transport_usbtmc_open (port, error);
  if (port[0] != '/')
    {
      g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_INVALID,
                   _("%s: expected a device path such as /dev/ttyUSB0, tcp:HOST:PORT or /dev/usbtmcN"),
                   port);
      return NULL;
    }
  if (cb_transport_serial_knows (port))
    return cb_transport_serial_open (port, settings, error);
  return cb_transport_termios_open (port, settings, error);
}

void
cb_transport_close (CbTransport *transport)
{
  if (transport == NULL)
    return;
  transport->backend->close (transport);
  g_free (transport->port);
  g_free (transport->description);
  g_free (transport->buffer);
  g_free (transport);
}

const char *
cb_transport_get_port (CbTransport *transport)
{
  return transport->port;
}

const char *
cb_transport_get_description (CbTransport *transport)
{
  return transport->description;
}

void
cb_transport_set_terminator (CbTransport *transport,
                             const char  *terminator)
{
  g_return_if_fail (terminator != NULL && *terminator != '\0');
  g_return_if_fail (strlen (terminator) < sizeof transport->terminator);

  g_strlcpy (transport->terminator, terminator, sizeof transport->terminator);
}

const char *
cb_transport_get_terminator (CbTransport *transport)
{
  return transport->terminator;
}

void
cb_transport_set_timeout (CbTransport *transport,
                          int          timeout_ms)
{
  g_return_if_fail (timeout_ms >= 0);
  transport->timeout_ms = timeout_ms;
}

int
cb_transport_get_timeout (CbTransport *transport)
{
  return transport->timeout_ms;
}

gboolean
cb_transport_write (CbTransport   *transport,
                    const void    *data,
                    gsize          length,
                    GCancellable  *cancellable,
                    GError       **error)
{
  return transport->backend->write (transport, data, length, transport->timeout_ms,
                                    cancellable, error);
}

gboolean
cb_transport_write_line (CbTransport   *transport,
                         const char    *line,
                         GCancellable  *cancellable,
                         GError       **error)
{
  gsize length = strlen (line);
  gsize term_length = strlen (transport->terminator);
  char stack[256];
  g_autofree char *heap = NULL;
  char *message = stack;

  /* One write per command: some instruments act on a line as it arrives. */
  if (length + term_length > sizeof stack)
    message = heap = g_malloc (length + term_length);
  memcpy (message, line, length);
  memcpy (message + length, transport->terminator, term_length);
  return cb_transport_write (transport, message, length + term_length, cancellable, error);
}

/* Reads more bytes into the buffer; rewrites a backend's timeout into one
 * naming what was expected. */
static gboolean
fill_buffer (CbTransport   *transport,
             gint64         deadline,
             int            timeout_ms,
             const char    *expected,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize got;

  got = transport->backend->read (transport, transport->buffer + transport->buffered,
                                  CB_INSTRUMENT_MAX_LINE - transport->buffered,
                                  remaining_ms (deadline), cancellable, &local_error);
  if (got > 0)
    {
      transport->buffered += (gsize) got;
      return TRUE;
    }

  if (g_error_matches (local_error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_TIMEOUT))
    {
      if (transport->buffered == 0)
        g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_TIMEOUT,
                     _("%s: no %s within %d ms"), transport->port, expected, timeout_ms);
      else
        {
          g_autofree char *quoted = cb_instrument_quote_bytes (transport->buffer, transport->buffered,
                                                               QUOTE_MAX);

          g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_TIMEOUT,
                       _("%s: no complete %s within %d ms, only “%s”"),
                       transport->port, expected, timeout_ms, quoted);
        }
      return FALSE;
    }
  if (g_error_matches (local_error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_DISCONNECTED) &&
      transport->buffered > 0)
    {
      g_autofree char *quoted = cb_instrument_quote_bytes (transport->buffer, transport->buffered,
                                                           QUOTE_MAX);

      g_prefix_error (&local_error, _("after a partial reply “%s”: "), quoted);
      transport->buffered = 0;
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

char *
cb_transport_read_line (CbTransport   *transport,
                        int            timeout_ms,
                        gsize         *length,
                        GCancellable  *cancellable,
                        GError       **error)
{
  gsize term_length = strlen (transport->terminator);
  gint64 deadline;

  if (timeout_ms < 0)
    timeout_ms = transport->timeout_ms;
  deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  for (;;)
    {
      const guint8 *end = find_terminator (transport->buffer, transport->buffered,
                                           transport->terminator, term_length);

      if (end != NULL)
        {
          gsize line_end = (gsize) (end - transport->buffer);
          gsize consumed = line_end + term_length;
          char *line;

          if (g_str_equal (transport->terminator, "\n") && line_end > 0 &&
              transport->buffer[line_end - 1] == '\r')
            line_end--;
          line = g_malloc (line_end + 1);
          memcpy (line, transport->buffer, line_end);
          line[line_end] = '\0';
          memmove (transport->buffer, transport->buffer + consumed, transport->buffered - consumed);
          transport->buffered -= consumed;
          if (length != NULL)
            *length = line_end;
          return line;
        }

      if (transport->buffered == CB_INSTRUMENT_MAX_LINE)
        {
          transport->buffered = 0;
          g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_PROTOCOL,
                       _("%s: a reply longer than %d bytes without a line terminator"),
                       transport->port, CB_INSTRUMENT_MAX_LINE);
          return NULL;
        }

      if (!fill_buffer (transport, deadline, timeout_ms, _("reply line"), cancellable, error))
        return NULL;
    }
}

gboolean
cb_transport_read_bytes (CbTransport   *transport,
                         guint8        *buffer,
                         gsize          length,
                         int            timeout_ms,
                         GCancellable  *cancellable,
                         GError       **error)
{
  gint64 deadline;

  g_return_val_if_fail (length <= CB_INSTRUMENT_MAX_LINE, FALSE);

  if (timeout_ms < 0)
    timeout_ms = transport->timeout_ms;
  deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (transport->buffered < length)
    {
      g_autofree char *expected = g_strdup_printf (_("reply of %zu bytes"), length);

      if (!fill_buffer (transport, deadline, timeout_ms, expected, cancellable, error))
        return FALSE;
    }

  memcpy (buffer, transport->buffer, length);
  memmove (transport->buffer, transport->buffer + length, transport->buffered - length);
  transport->buffered -= length;
  return TRUE;
}

char *
cb_transport_query (CbTransport   *transport,
                    const char    *command,
                    GCancellable  *cancellable,
                    GError       **error)
{
  if (!cb_transport_write_line (transport, command, cancellable, error))
    return NULL;
  return cb_transport_read_line (transport, -1, NULL, cancellable, error);
}

void
cb_transport_discard_input (CbTransport *transport,
                            int          quiet_ms)
{
  /* Bounded: an instrument streaming garbage cannot keep us here. */
  for (guint i = 0; i < 64; i++)
    {
      gssize got;

      transport->buffered = 0;
      got = transport->backend->read (transport, transport->buffer, CB_INSTRUMENT_MAX_LINE,
                                      quiet_ms, NULL, NULL);
      if (got <= 0)
        break;
    }
  transport->buffered = 0;
}

void
cb_port_info_free (CbPortInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info->description);
  g_free (info->kind);
  g_free (info->serial);
  g_free (info);
}

gboolean
cb_serial_settings_parse_format (CbSerialSettings  *settings,
                                 const char        *format,
                                 GError           **error)
{
  if (format == NULL || strlen (format) != 3 ||
      format[0] < '5' || format[0] > '8' ||
      strchr ("NOEnoe", format[1]) == NULL ||
      (format[2] != '1' && format[2] != '2'))
    {
      g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_INVALID,
                   _("serial format “%s”: expected data bits, parity and stop bits such as 8N1 or 7E2"),
                   format != NULL ? format : "");
      return FALSE;
    }
  settings->data_bits = format[0] - '0';
  switch (g_ascii_toupper (format[1]))
    {
    case 'O':
      settings->parity = CB_PARITY_ODD;
      break;
    case 'E':
      settings->parity = CB_PARITY_EVEN;
      break;
    default:
      settings->parity = CB_PARITY_NONE;
      break;
    }
  settings->stop_bits = format[2] - '0';
  return TRUE;
}

gboolean
cb_serial_settings_parse_flow (CbSerialSettings  *settings,
                               const char        *flow,
                               GError           **error)
{
  if (g_strcmp0 (flow, "none") == 0)
    settings->flow = CB_FLOW_NONE;
  else if (g_strcmp0 (flow, "xonxoff") == 0)
    settings->flow = CB_FLOW_XONXOFF;
  else if (g_strcmp0 (flow, "rtscts") == 0)
    settings->flow = CB_FLOW_RTSCTS;
  else
    {
      g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_INVALID,
                   _("flow control “%s”: expected none, xonxoff or rtscts"),
                   flow != NULL ? flow : "");
      return FALSE;
    }
  return TRUE;
}
