/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "cb-transport.h"

G_BEGIN_DECLS

/* What each backend provides; the line layer in cb-transport.c does the rest. */
typedef struct
{
  const char *name;
  /* Some bytes (at least one), or -1 with TIMEOUT, DISCONNECTED, IO or
   * G_IO_ERROR_CANCELLED. */
  gssize    (*read)  (CbTransport   *transport,
                      guint8        *buffer,
                      gsize          length,
                      int            timeout_ms,
                      GCancellable  *cancellable,
                      GError       **error);
  gboolean  (*write) (CbTransport   *transport,
                      const guint8  *data,
                      gsize          length,
                      int            timeout_ms,
                      GCancellable  *cancellable,
                      GError       **error);
  void      (*close) (CbTransport   *transport);
} CbTransportBackend;

struct _CbTransport
{
  const CbTransportBackend *backend;
  gpointer                  backend_data;
  int                       fd;
  char                     *port;
  char                     *description;
  char                      terminator[8];
  int                       timeout_ms;
  guint8                   *buffer;       /* CB_INSTRUMENT_MAX_LINE bytes */
  gsize                     buffered;
};

CbTransport *cb_transport_new_internal   (const CbTransportBackend *backend,
                                          const char               *port,
                                          char                     *description);

/* Shared by the descriptor-based backends: poll() on @fd and on the
 * cancellable, then read() or write(). */
gssize       cb_transport_fd_read        (CbTransport              *transport,
                                          int                       fd,
                                          guint8                   *buffer,
                                          gsize                     length,
                                          int                       timeout_ms,
                                          GCancellable             *cancellable,
                                          GError                  **error);
gboolean     cb_transport_fd_write       (CbTransport              *transport,
                                          int                       fd,
                                          gboolean                  is_socket,
                                          const guint8             *data,
                                          gsize                     length,
                                          int                       timeout_ms,
                                          GCancellable             *cancellable,
                                          GError                  **error);

CbTransport *cb_transport_termios_open   (const char               *path,
                                          const CbSerialSettings   *settings,
                                          GError                  **error);
CbTransport *cb_transport_serial_open    (const char               *path,
                                          const CbSerialSettings   *settings,
                                          GError                  **error);
/* TRUE when libserialport lists @path (after resolving symbolic links). */
gboolean     cb_transport_serial_knows   (const char               *path);
CbTransport *cb_transport_tcp_open       (const char               *host_and_port,
                                          int                       timeout_ms,
                                          GCancellable             *cancellable,
                                          GError                  **error);
CbTransport *cb_transport_usbtmc_open    (const char               *path,
                                          GError                  **error);

G_END_DECLS
