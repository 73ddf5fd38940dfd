/* A fast HTTP/1.1 workload for benchmarks: listens on 127.0.0.1:$PORT at once, keep-alive, one thread per
 * connection, answers every request "200 ok". Launch overhead and proxy overhead then measure the
 * platform, not the workload. Build: cc -O2 -pthread -o fastecho fastecho.c */
#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char reply[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok";

static void *serve(void *arg) {
    int fd = (int)(long)arg;
    char buf[65536];
    size_t have = 0;
    for (;;) {
        ssize_t n = read(fd, buf + have, sizeof buf - have - 1);
        if (n <= 0) break;
        have += (size_t)n;
        buf[have] = 0;
        char *end;
        while ((end = strstr(buf, "\r\n\r\n")) != NULL) {   /* requests without bodies (GET) */
            if (write(fd, reply, sizeof reply - 1) < 0) goto done;
            size_t used = (size_t)(end + 4 - buf);
            memmove(buf, buf + used, have - used);
            have -= used;
            buf[have] = 0;
        }
        if (have >= sizeof buf - 1) break;
    }
done:
    close(fd);
    return NULL;
}

int main(void) {
    const char *port = getenv("PORT");
    int s = socket(AF_INET, SOCK_STREAM, 0), on = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(port ? port : "8080"))};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (bind(s, (struct sockaddr *)&a, sizeof a) || listen(s, 1024)) { perror("listen"); return 1; }
    for (;;) {
        int c = accept(s, NULL, NULL);
        if (c < 0) continue;
        pthread_t t;
        pthread_create(&t, NULL, serve, (void *)(long)c);
        pthread_detach(t);
    }
}
