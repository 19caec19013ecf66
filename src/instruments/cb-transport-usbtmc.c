/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/usb/tmc.h>

#include <glib/gi18n-lib.h>

#include "cb-transport-private.h"

/*
 * USBTMC through the Linux usbtmc driver: each write() is one message and
 * each read() returns (part of) the reply.  The driver does not report
 * replies through poll(), so reads block in the kernel, bounded by the
 * driver's own timeout, which is set to ours before each read.
 */

static gssize
usbtmc_read (CbTransport   *transport,
             guint8        *buffer,
             gsize          length,
             int            timeout_ms,
             GCancellable  *cancellable,
             GError       **error)
{
  guint32 timeout = (guint32) MAX (timeout_ms, 1);
  ssize_t got;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return -1;
  ioctl (transport->fd, USBTMC_IOCTL_SET_TIMEOUT, &timeout);
  do
    got = read (transport->fd, buffer, length);
  while (got < 0 && errno == EINTR);

  if (got > 0)
    return got;
  if (got == 0 || errno == ETIMEDOUT)
    {
      g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_TIMEOUT,
                   _("%s: nothing within the timeout"), transport->port);
      return -1;
    }
  if (errno == ENODEV || errno == EIO || errno == ESHUTDOWN)
    {
      g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_DISCONNECTED,
                   _("%s: the instrument disconnected (%s)"), transport->port, g_strerror (errno));
      return -1;
    }
  g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_IO,
               _("%s: reading: %s"), transport->port, g_strerror (errno));
  return -1;
}

static gboolean
usbtmc_write (CbTransport   *transport,
              const guint8  *data,
              gsize          length,
              int            timeout_ms,
              GCancellable  *cancellable,
              GError       **error)
{
  guint32 timeout = (guint32) MAX (timeout_ms, 1);
  ssize_t n;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  ioctl (transport->fd, USBTMC_IOCTL_SET_TIMEOUT, &timeout);
  do
    n = write (transport->fd, data, length);
  while (n < 0 && errno == EINTR);

  if (n == (ssize_t) length)
    return TRUE;
  if (n >= 0 || errno == ETIMEDOUT)
    g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_TIMEOUT,
                 _("%s: the instrument accepted no data within %d ms"), transport->port, timeout_ms);
  else if (errno == ENODEV || errno == EIO || errno == ESHUTDOWN)
    g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_DISCONNECTED,
                 _("%s: the instrument disconnected (%s)"), transport->port, g_strerror (errno));
  else
    g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_IO,
                 _("%s: writing: %s"), transport->port, g_strerror (errno));
  return FALSE;
}

static void
usbtmc_close (CbTransport *transport)
{
  if (transport->fd >= 0)
    close (transport->fd);
  transport->fd = -1;
}

static const CbTransportBackend usbtmc_backend = {
  "usbtmc", usbtmc_read, usbtmc_write, usbtmc_close,
};

CbTransport *
cb_transport_usbtmc_open (const char  *path,
                          GError     **error)
{
  CbTransport *transport;
  int fd = open (path, O_RDWR | O_CLOEXEC);

  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_OPEN,
                   _("%s: cannot open the USBTMC device: %s"), path, g_strerror (saved));
      return NULL;
    }
  transport = cb_transport_new_internal (&usbtmc_backend, path, g_strdup_printf ("usbtmc %s", path));
  transport->fd = fd;
  return transport;
}
