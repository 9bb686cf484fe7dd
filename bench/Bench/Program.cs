using MnistEvents.Bench;

return args switch
{
    ["forward", var model, .. var rest] => ForwardCost.Run(model, rest),
    ["async", var url, var image, var clients, var perSubmission, var warmup, var seconds] =>
        await AsyncLoad.RunAsync(url, image, int.Parse(clients), int.Parse(perSubmission), double.Parse(warmup), double.Parse(seconds)),
    ["rate", var url, var image, var rate, var seconds] => await RateLoad.RunAsync(url, image, double.Parse(rate), double.Parse(seconds)),
    ["swap", var host, var port, var served, var replicas, var swaps, .. var models] when models.Length > 0 =>
        await SwapTimer.RunAsync(host, ushort.Parse(port), served, int.Parse(replicas), int.Parse(swaps), models),
    ["shadow", var host, var port, var served, var model, var rate] =>
        await ShadowSwitch.RunAsync(host, ushort.Parse(port), served, model, double.Parse(rate, System.Globalization.CultureInfo.InvariantCulture)),
    ["uploads", var model, var perFamily, var seed, var output] => UploadAccuracy.Run(model, int.Parse(perFamily), int.Parse(seed), output),
    ["preprocessing-cost", var baseline] => PreprocessingCost.Run(baseline),
    ["model-inputs", var baseline, var perFamily, var seed] => ModelInputs.Run(baseline, int.Parse(perFamily), int.Parse(seed)),
    ["oip-grpc", var address, var pixels, var digits, var clients, var warmup, var seconds] =>
        await OipGrpcLoad.RunAsync(address, pixels, int.Parse(digits), int.Parse(clients), double.Parse(warmup), double.Parse(seconds)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: MnistEvents.Bench forward MODEL [BATCH...]   CPU ms per image of the served model's forward pass, one torch thread, and of counting it into the drift profile
               MnistEvents.Bench async URL IMAGE CLIENTS PER_SUBMISSION WARMUP_S SECONDS
                                                        SignalR clients submitting to POST /predictions; prints images/s p50 p99 refused measured
               MnistEvents.Bench rate URL IMAGE RATE SECONDS   open-loop POST /prediction at RATE/s; prints sent ok failed p50 p99
               MnistEvents.Bench swap AMQP_HOST AMQP_PORT SERVED_MODEL REPLICAS SWAPS MODEL...
                                                        saves each MODEL as a version, activates it, publishes ModelActivated, times until REPLICAS served it
               MnistEvents.Bench shadow AMQP_HOST AMQP_PORT SERVED_MODEL MODEL RATE
                                                        saves MODEL as a version and has every replica shadow it on RATE of its batches (0 stops)
               MnistEvents.Bench uploads MODEL PER_FAMILY SEED OUT_DIR
                                                        accuracy per upload family through the gateway's preprocessing; the files, labels and misread sheets in OUT_DIR
               MnistEvents.Bench oip-grpc URL PIXELS DIGITS CLIENTS WARMUP_S SECONDS
                                                        closed-loop ModelInfer of DIGITS raw UINT8 digits from PIXELS; prints req/s images/s p50 p99 failed completed client-CPU-ms
               MnistEvents.Bench preprocessing-cost BASELINE_IMAGING_DLL
                                                        CPU ms per upload (canvas drawing, 12-megapixel photo) now and in the given earlier build
               MnistEvents.Bench model-inputs BASELINE_IMAGING_DLL PER_FAMILY SEED
                                                        SHA-256 of the 28x28 model inputs of every upload family and the tests' images, now and in the given
                                                        earlier build; exits 1 if any upload's input differs
        """);
    return 2;
}
