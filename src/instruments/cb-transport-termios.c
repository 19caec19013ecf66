/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "cb-transport-private.h"

/*
 * termios: ptys (which libserialport refuses: they have no sysfs entry and
 * TIOCMGET fails on them) and ttys libserialport does not list.
 */

static gssize
termios_read (CbTransport   *transport,
              guint8        *buffer,
              gsize          length,
              int            timeout_ms,
              GCancellable  *cancellable,
              GError       **error)
{
  return cb_transport_fd_read (transport, transport->fd, buffer, length, timeout_ms, cancellable, error);
}

static gboolean
termios_write (CbTransport   *transport,
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
termios_close (CbTransport *transport)
{
  if (transport->fd >= 0)
    close (transport->fd);
  transport->fd = -1;
}

static const CbTransportBackend termios_backend = {
  "termios", termios_read, termios_write, termios_close,
};

static speed_t
speed_for_baud (int baud)
{
  static const struct { int baud; speed_t speed; } speeds[] = {
    { 1200, B1200 }, { 2400, B2400 }, { 4800, B4800 }, { 9600, B9600 },
    { 19200, B19200 }, { 38400, B38400 }, { 57600, B57600 }, { 115200, B115200 },
    { 230400, B230400 }, { 460800, B460800 }, { 921600, B921600 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (speeds); i++)
    if (speeds[i].baud == baud)
      return speeds[i].speed;
  return B0;
}

static gboolean
configure_tty (int                      fd,
               const char              *path,
               const CbSerialSettings  *settings,
               GError                 **error)
{
  struct termios tio;
  speed_t speed = speed_for_baud (settings->baud);

  if (speed == B0)
    {
      g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_INVALID,
                   _("%s: %d baud is not a standard rate"), path, settings->baud);
      return FALSE;
    }
  if (tcgetattr (fd, &tio) != 0)
    {
      int saved = errno;

      g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_OPEN,
                   _("%s: cannot read the terminal settings: %s"), path, g_strerror (saved));
      return FALSE;
    }

  cfmakeraw (&tio);
  cfsetispeed (&tio, speed);
  cfsetospeed (&tio, speed);
  tio.c_cflag &= ~(tcflag_t) (CSIZE | PARENB | PARODD | CSTOPB | CRTSCTS);
  tio.c_cflag |= CLOCAL | CREAD;
  switch (settings->data_bits)
    {
    case 5: tio.c_cflag |= CS5; break;
    case 6: tio.c_cflag |= CS6; break;
    case 7: tio.c_cflag |= CS7; break;
    default: tio.c_cflag |= CS8; break;
    }
  if (settings->parity != CB_PARITY_NONE)
    tio.c_cflag |= PARENB;
  if (settings->parity == CB_PARITY_ODD)
    tio.c_cflag |= PARODD;
  if (settings->stop_bits == 2)
    tio.c_cflag |= CSTOPB;
  tio.c_iflag &= ~(tcflag_t) (IXON | IXOFF | IXANY);
  if (settings->flow == CB_FLOW_XONXOFF)
    tio.c_iflag |= IXON | IXOFF;
  else if (settings->flow == CB_FLOW_RTSCTS)
    tio.c_cflag |= CRTSCTS;
  /* With O_NONBLOCK and VMIN 1 an empty read fails with EAGAIN, so a read
   * of 0 bytes means hang-up; poll() does the waiting. */
  tio.c_cc[VMIN] = 1;
  tio.c_cc[VTIME] = 0;

  if (tcsetattr (fd, TCSANOW, &tio) != 0)
    {
      int saved = errno;

      g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_OPEN,
                   _("%s: cannot apply the terminal settings: %s"), path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

CbTransport *
cb_transport_termios_open (const char              *path,
                           const CbSerialSettings  *settings,
                           GError                 **error)
{
  CbTransport *transport;
  int fd;

  fd = open (path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, CB_INSTRUMENT_ERROR, CB_INSTRUMENT_ERROR_OPEN,
                   _("%s: cannot open the port: %s"), path, g_strerror (saved));
      return NULL;
    }
  /* Files and FIFOs are read as they are; terminals are made raw. */
  if (isatty (fd) && !configure_tty (fd, path, settings, error))
    {
      close (fd);
      return NULL;
    }
  if (isatty (fd))
    tcflush (fd, TCIOFLUSH);

  transport = cb_transport_new_internal (&termios_backend, path,
                                         g_strdup_printf ("termios %s", path));
  transport->fd = fd;
  return transport;
}
