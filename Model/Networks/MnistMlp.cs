using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MnistEvents.Model.Networks;

/// <summary>The seed's network (fc1 784→128, ReLU, fc2 128→10, log_softmax); its parameter names match the seed's state_dict.</summary>
public sealed class MnistMlp : Module<Tensor, Tensor>
{
    private readonly Linear fc1 = Linear(784, 128);
    private readonly Linear fc2 = Linear(128, 10);

    public MnistMlp() : base(nameof(MnistMlp)) => RegisterComponents();

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = functional.relu(fc1.call(input.reshape(-1, 784)));
        return functional.log_softmax(fc2.call(x), 1).MoveToOuterDisposeScope();
    }
}
