#!/usr/bin/env python3
"""A client of MnistEvents' Open Inference Protocol gRPC service, written from the protocol alone.

Its stubs are generated at start from the protocol's own .proto (kserve/open-inference-protocol's
open_inference_grpc.proto) with grpcio-tools; nothing of the project is imported. Debian: apt-get install
python3-grpcio python3-grpc-tools.

    examples/oip_grpc_client.py --address localhost:8001 digit.png another.jpg   # image files, BYTES input
    examples/oip_grpc_client.py --pixels digits.u8 --count 32                   # N×784 bytes, UINT8 input

Prints one JSON object: the server's metadata, the model's inputs, and each digit with its probability.
"""
import argparse
import importlib
import json
import os
import struct
import sys
import tempfile

import grpc
from grpc_tools import protoc

HERE = os.path.dirname(os.path.abspath(__file__))
PROTO = os.path.join(HERE, "..", "Services", "Gateway", "OpenInference", "open_inference_grpc.proto")


def stubs(proto):
    out = tempfile.mkdtemp(prefix="oip-")
    directory, name = os.path.split(os.path.abspath(proto))
    if protoc.main(["protoc", f"-I{directory}", f"--python_out={out}", f"--grpc_python_out={out}", name]) != 0:
        sys.exit(f"protoc could not compile {proto}")
    sys.path.insert(0, out)
    module = os.path.splitext(name)[0]
    return importlib.import_module(module + "_pb2"), importlib.import_module(module + "_pb2_grpc")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--address", default="localhost:8001")
    parser.add_argument("--proto", default=PROTO)
    parser.add_argument("--version", default="", help="a kept model version (default: the served one)")
    parser.add_argument("--pixels", help="a file of N 28x28 digits, one byte a pixel, white ink on black")
    parser.add_argument("--count", type=int, default=1)
    parser.add_argument("images", nargs="*", help="image files (PNG, JPEG, GIF, BMP, WebP)")
    args = parser.parse_args()

    pb, rpc = stubs(args.proto)
    with grpc.insecure_channel(args.address) as channel:
        client = rpc.GRPCInferenceServiceStub(channel)
        server = client.ServerMetadata(pb.ServerMetadataRequest())
        model = client.ModelMetadata(pb.ModelMetadataRequest(name="mnist"))

        request = pb.ModelInferRequest(model_name="mnist", model_version=args.version, id="python-client")
        tensor = request.inputs.add()
        if args.pixels:
            tensor.name, tensor.datatype = "pixels", "UINT8"
            tensor.shape.extend([args.count, 28, 28])
            with open(args.pixels, "rb") as f:
                request.raw_input_contents.append(f.read())
        else:
            tensor.name, tensor.datatype = "image_file", "BYTES"
            tensor.shape.append(len(args.images))
            for path in args.images:
                with open(path, "rb") as f:
                    tensor.contents.bytes_contents.append(f.read())
        try:
            response = client.ModelInfer(request)
        except grpc.RpcError as e:
            print(json.dumps({"error": e.code().name, "details": e.details()}))
            return 1

    outputs = {o.name: i for i, o in enumerate(response.outputs)}
    def raw(name, fmt):
        data = response.raw_output_contents[outputs[name]] if response.raw_output_contents else None
        if data is None:
            contents = response.outputs[outputs[name]].contents
            return list(contents.int64_contents if fmt == "q" else contents.fp32_contents)
        return list(struct.unpack(f"<{len(data) // struct.calcsize(fmt)}{fmt}", data))
    digits = raw("digit", "q")
    probabilities = raw("probabilities", "f")
    print(json.dumps({
        "server": {"name": server.name, "version": server.version},
        "inputs": [f"{t.name} {t.datatype} {list(t.shape)}" for t in model.inputs],
        "id": response.id,
        "model_version": response.model_version,
        "replica": response.parameters["replica"].string_param,
        "digits": digits,
        "confidence": [round(probabilities[10 * i + d], 4) for i, d in enumerate(digits)],
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
