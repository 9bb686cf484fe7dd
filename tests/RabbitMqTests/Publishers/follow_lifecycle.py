#!/usr/bin/python3
"""Follows one MnistEvents training as any AMQP client can, as the `watcher` broker user: pika alone (Debian's
python3-pika), no MassTransit, no .NET.

    follow_lifecycle.py [TIMEOUT_SECONDS]    # then write the training id on stdin

Declares a queue the broker names (exclusive, gone with the connection) and binds it to the exchange of each lifecycle
event (MassTransit publishes each message type to a fanout exchange of its own, `MnistEvents.Contracts:<Type>`, in its
JSON envelope: "messageType" is a list of URNs, "message" the event). Prints {"ready": true} once bound, so whoever asks
for the training after that misses nothing; reads the training id from stdin; prints one JSON line per event it hears
({"type": ..., "message": ...}); exits 0 at the RetrainSettled naming that training, 1 if none came in time.
Connects with AMQP_HOST, AMQP_PORT, AMQP_VHOST, AMQP_USER and AMQP_PASSWORD.
"""
import json
import os
import sys
import time

import pika

EVENTS = ["TrainingStarted", "TrainingProgressed", "TrainingCompleted", "TrainingFailed", "RetrainRejected", "ModelSaved",
          "CandidateJudged", "PromotionDecided", "ModelActivated", "ShadowStarted", "ShadowStopped", "RetrainSettled"]


def main(timeout):
    connection = pika.BlockingConnection(pika.ConnectionParameters(
        host=os.environ.get("AMQP_HOST", "127.0.0.1"),
        port=int(os.environ.get("AMQP_PORT", "5672")),
        virtual_host=os.environ.get("AMQP_VHOST", "mnist"),
        credentials=pika.PlainCredentials(os.environ["AMQP_USER"], os.environ["AMQP_PASSWORD"])))
    channel = connection.channel()
    queue = channel.queue_declare("", exclusive=True, auto_delete=True).method.queue
    for event in EVENTS:
        channel.queue_bind(queue, "MnistEvents.Contracts:" + event)
    print(json.dumps({"ready": True}), flush=True)
    training = sys.stdin.readline().strip()

    deadline = time.monotonic() + timeout
    for method, properties, body in channel.consume(queue, auto_ack=True, inactivity_timeout=1):
        if time.monotonic() > deadline:
            break
        if body is None:
            continue
        envelope = json.loads(body)
        kind = envelope["messageType"][0].rsplit(":", 1)[-1]
        message = envelope["message"]
        print(json.dumps({"type": kind, "message": message}), flush=True)
        if kind == "RetrainSettled" and message.get("trainingId") == training:
            connection.close()
            return 0
    connection.close()
    return 1


if __name__ == "__main__":
    sys.exit(main(float(sys.argv[1]) if len(sys.argv) > 1 else 300))
