using MnistEvents.Bench;

return args switch
{
    ["forward", var model, .. var rest] => ForwardCost.Run(model, rest),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: MnistEvents.Bench forward MODEL [BATCH...]   CPU ms per image of the served model's forward pass, one torch thread
        """);
    return 2;
}
