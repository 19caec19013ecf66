/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "cb-instrument-types.h"

G_BEGIN_DECLS

/*
 * A byte pipe to one instrument, whatever carries it: a pty or tty through
 * termios, a serial or USB-serial port through libserialport, a TCP socket
 * (SCPI raw socket, port 5025 by default) or a USBTMC character device.
 * Every read has a deadline and every call takes a GCancellable, so nothing
 * waits forever.  Lines are split here, once, for every backend: partial
 * lines stay buffered between reads and a line is at most
 * CB_INSTRUMENT_MAX_LINE bytes.
 *
 * A transport is used by one thread at a time.
 */

typedef struct _CbTransport CbTransport;

typedef enum
{
  CB_PARITY_NONE,
  CB_PARITY_ODD,
  CB_PARITY_EVEN,
} CbParity;

typedef enum
{
  CB_FLOW_NONE,
  CB_FLOW_XONXOFF,
  CB_FLOW_RTSCTS,
} CbFlowControl;

typedef struct
{
  int           baud;
  int           data_bits;
  CbParity      parity;
  int           stop_bits;
  CbFlowControl flow;
} CbSerialSettings;

/* 9600 8N1, no flow control. */
#define CB_SERIAL_SETTINGS_DEFAULT { 9600, 8, CB_PARITY_NONE, 1, CB_FLOW_NONE }

/* A serial port as the system lists it. */
typedef struct
{
  char *name;          /* "/dev/ttyUSB0" */
  char *description;   /* "FT232R USB UART" */
  char *kind;          /* "USB", "native", "Bluetooth" */
  int   vid;           /* USB vendor id, -1 when not USB */
  int   pid;
  char *serial;        /* USB serial number or NULL */
} CbPortInfo;

/* The SCPI raw socket port. */
#define CB_TRANSPORT_TCP_DEFAULT_PORT 5025
/* Per-read timeout unless set otherwise. */
#define CB_TRANSPORT_DEFAULT_TIMEOUT_MS 2000

/* @port is a device path ("/dev/ttyUSB0", "/dev/pts/3": libserialport when
 * it lists the port, termios otherwise), "tcp:HOST[:PORT]" or
 * "/dev/usbtmcN".  @settings (may be NULL for the defaults) apply to serial
 * ports and ttys. */
CbTransport *cb_transport_open           (const char              *port,
                                          const CbSerialSettings  *settings,
                                          GCancellable            *cancellable,
                                          GError                 **error);
/* Wraps an open descriptor (a pty, a socket pair); takes ownership. */
CbTransport *cb_transport_new_for_fd     (int                      fd,
                                          const char              *name);
void         cb_transport_close          (CbTransport             *transport);

/* The port as given, and a description: "termios /dev/pts/3". */
const char  *cb_transport_get_port       (CbTransport             *transport);
const char  *cb_transport_get_description (CbTransport            *transport);

/* The line terminator written after commands and looked for in replies;
 * "\n" by default, when a "\r" before it is dropped too. */
void         cb_transport_set_terminator (CbTransport             *transport,
                                          const char              *terminator);
const char  *cb_transport_get_terminator (CbTransport             *transport);
/* Timeout of reads and writes given a timeout of -1. */
void         cb_transport_set_timeout    (CbTransport             *transport,
                                          int                      timeout_ms);
int          cb_transport_get_timeout    (CbTransport             *transport);

gboolean     cb_transport_write          (CbTransport             *transport,
                                          const void              *data,
                                          gsize                    length,
                                          GCancellable            *cancellable,
                                          GError                 **error);
/* Writes @line and the terminator. */
gboolean     cb_transport_write_line     (CbTransport             *transport,
                                          const char              *line,
                                          GCancellable            *cancellable,
                                          GError                 **error);
/* The next line without its terminator, as raw bytes up to a NUL the caller
 * must not rely on; TIMEOUT when no whole line came within @timeout_ms
 * (-1: the transport's timeout).  The partial line stays buffered. */
char        *cb_transport_read_line      (CbTransport             *transport,
                                          int                      timeout_ms,
                                          gsize                   *length,
                                          GCancellable            *cancellable,
                                          GError                 **error);
/* Exactly @length bytes, or TIMEOUT when they did not all come within
 * @timeout_ms; bytes that did come stay buffered. */
gboolean     cb_transport_read_bytes     (CbTransport             *transport,
                                          guint8                  *buffer,
                                          gsize                    length,
                                          int                      timeout_ms,
                                          GCancellable            *cancellable,
                                          GError                 **error);
/* Writes @command and reads one line. */
char        *cb_transport_query          (CbTransport             *transport,
                                          const char              *command,
                                          GCancellable            *cancellable,
                                          GError                 **error);
/* Drops what is buffered and whatever arrives until the line has been
 * quiet for @quiet_ms: after garbage, to start the next exchange clean. */
void         cb_transport_discard_input  (CbTransport             *transport,
                                          int                      quiet_ms);

/* Serial ports the system knows, as CbPortInfo. */
GPtrArray   *cb_transport_list_ports     (GError                 **error);
void         cb_port_info_free           (CbPortInfo              *info);

/* "8N1", "7E2": data bits, parity, stop bits. */
gboolean     cb_serial_settings_parse_format (CbSerialSettings    *settings,
                                          const char              *format,
                                          GError                 **error);
gboolean     cb_serial_settings_parse_flow (CbSerialSettings      *settings,
                                          const char              *flow,
                                          GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbTransport, cb_transport_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CbPortInfo, cb_port_info_free)

G_END_DECLS
