#!/usr/bin/python3
"""Asks MnistEvents for a retrain as any AMQP client can: pika alone (Debian's python3-pika), no MassTransit, no .NET.

    request_retrain.py plain    '{"epochs": 1, "limit": 1000}'   # the command's JSON alone (application/json)
    request_retrain.py envelope '{"epochs": 1, "limit": 1000}'   # in MassTransit's envelope (application/vnd.masstransit+json)
    request_retrain.py other EXCHANGE                            # publish '{}' to another exchange (the retrainer may not)

Connects with AMQP_HOST, AMQP_PORT, AMQP_VHOST, AMQP_USER and AMQP_PASSWORD; publishes with confirms to the
`request-retrain` exchange and prints one JSON line: what the broker said ("confirmed", or "refused" with its code and
words) and the message id.
"""
import datetime
import json
import os
import sys
import uuid

import pika


def connect():
    return pika.BlockingConnection(pika.ConnectionParameters(
        host=os.environ.get("AMQP_HOST", "127.0.0.1"),
        port=int(os.environ.get("AMQP_PORT", "5672")),
        virtual_host=os.environ.get("AMQP_VHOST", "mnist"),
        credentials=pika.PlainCredentials(os.environ["AMQP_USER"], os.environ["AMQP_PASSWORD"])))


def publish(exchange, body, content_type, message_id):
    connection = connect()
    try:
        channel = connection.channel()
        channel.confirm_delivery()
        try:
            channel.basic_publish(exchange, "", json.dumps(body).encode(), pika.BasicProperties(
                content_type=content_type, delivery_mode=2, message_id=message_id), mandatory=True)
        except pika.exceptions.ChannelClosedByBroker as refused:
            return {"result": "refused", "code": refused.reply_code, "text": refused.reply_text}
        except pika.exceptions.UnroutableError:
            return {"result": "unroutable"}
        channel.close()
        return {"result": "confirmed"}
    finally:
        connection.close()


def main(kind, argument):
    message_id = str(uuid.uuid4())
    if kind == "other":
        outcome = publish(argument, {}, "application/json", message_id)
    else:
        request = json.loads(argument)
        if kind == "plain":
            outcome = publish("request-retrain", request, "application/json", message_id)
        else:
            now = datetime.datetime.now(datetime.timezone.utc).isoformat()
            envelope = {
                "messageId": message_id,
                "messageType": ["urn:message:MnistEvents.Contracts:RequestRetrain"],
                "sentTime": now,
                "message": {"trainingId": str(uuid.uuid4()), "requestedAt": now, **request},
            }
            outcome = publish("request-retrain", envelope, "application/vnd.masstransit+json", message_id)
    print(json.dumps({**outcome, "messageId": message_id}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
