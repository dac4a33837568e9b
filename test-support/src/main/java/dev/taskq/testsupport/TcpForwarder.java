package dev.taskq.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on a local port to a real server (Postgres), which a test can stop and start again on the same port:
 * stopped, it has dropped every connection and its port refuses new ones, as a server that went away does.
 */
public final class TcpForwarder implements AutoCloseable {

    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    /** 0 until the first start binds a free port; the same port after that. */
    private int port;
    private ServerSocket server;

    private TcpForwarder(InetSocketAddress target) {
        this.target = target;
    }

    /** A running forwarder on a free loopback port to {@code target}. */
    public static TcpForwarder to(InetSocketAddress target) throws IOException {
        TcpForwarder forwarder = new TcpForwarder(target);
        forwarder.start();
        return forwarder;
    }

    public synchronized int port() {
        return port;
    }

    public synchronized boolean running() {
        return server != null;
    }

    /** Listens again on the same port; a no-op while running. */
    public synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        ServerSocket listening = new ServerSocket();
        // The port was just closed with connections in TIME_WAIT: bind it again anyway.
        listening.setReuseAddress(true);
        listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        port = listening.getLocalPort();
        server = listening;
        Thread.ofVirtual().name("forwarder-accept-" + port).start(() -> accept(listening));
    }

    /** Closes the port and drops every forwarded connection; a no-op while stopped. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        closeQuietly(server);
        server = null;
        open.forEach(TcpForwarder::closeQuietly);
        open.clear();
    }

    private void accept(ServerSocket listening) {
        while (!listening.isClosed()) {
            Socket client;
            try {
                client = listening.accept();
            } catch (IOException e) {
                return;
            }
            try {
                Socket upstream = new Socket(target.getAddress(), target.getPort());
                open.add(client);
                open.add(upstream);
                Thread.ofVirtual().start(() -> pump(client, upstream));
                Thread.ofVirtual().start(() -> pump(upstream, client));
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    private void pump(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // One side closed or was dropped: close both below.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // Closed already.
        }
    }

    @Override
    public void close() {
        stop();
    }
}
