#!/bin/bash
# One round of chat_fanout.py at 50, 200 and 500 members against two fresh single Daphne processes:
# the in-memory layer with SQLite, and the Redis pub/sub layer with PostgreSQL. Loopback only.
# Needs: the chatbench PostgreSQL database migrated, Redis on 6379 (see bench/README.md).
set -u
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=community.settings.dev
MEM_ENV="DATABASE_URL=sqlite:////tmp/chatbench.sqlite3"
REDIS_ENV="DATABASE_URL=postgres://postgres@127.0.0.1:5432/chatbench REDIS_URL=redis://127.0.0.1:6379/5"

env $MEM_ENV .venv/bin/daphne -b 127.0.0.1 -p 8100 community.asgi:application > /tmp/daphne-mem.log 2>&1 &
MEM_PID=$!
env $REDIS_ENV DB_CONN_MAX_AGE=60 .venv/bin/daphne -b 127.0.0.1 -p 8102 community.asgi:application \
    > /tmp/daphne-redis.log 2>&1 &
REDIS_PID=$!
trap 'kill $MEM_PID $REDIS_PID' EXIT
sleep 6

run() {  # environment, port, server pid, members
  echo "== port $2 clients $4 load $(cut -d' ' -f1 /proc/loadavg)"
  env $1 timeout 400 .venv/bin/python bench/chat_fanout.py --port "$2" --clients "$4" --messages 300 --rate 10 \
      --make-sessions --json --server-pid "$3"
}
for n in 50 200 500; do
  run "$MEM_ENV" 8100 $MEM_PID $n
  run "$REDIS_ENV" 8102 $REDIS_PID $n
done
