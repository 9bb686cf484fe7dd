"""Loads a model file written by the Trainer into the same network defined in PyTorch and scores it on
the MNIST test set: proof that `torch.load` reads this project's mnist.pt as a plain state_dict.
usage: pytorch_eval.py MODEL.pt MNIST_ROOT"""
import sys, torch, torch.nn as nn, torch.nn.functional as F
from torchvision import datasets, transforms

class MnistCnn(nn.Module):  # Model/Networks/MnistCnn.cs
    def __init__(s):
        super().__init__()
        s.conv1 = nn.Conv2d(1, 32, 5, padding=2, bias=False); s.bn1 = nn.BatchNorm2d(32)
        s.conv2 = nn.Conv2d(32, 64, 3, padding=1, bias=False); s.bn2 = nn.BatchNorm2d(64)
        s.fc1 = nn.Linear(64 * 7 * 7, 128, bias=False); s.bn3 = nn.BatchNorm1d(128)
        s.dropout = nn.Dropout(0.25); s.fc2 = nn.Linear(128, 10)
    def forward(s, x):
        x = F.max_pool2d(F.relu(s.bn1(s.conv1(x))), 2)
        x = F.max_pool2d(F.relu(s.bn2(s.conv2(x))), 2)
        x = s.dropout(F.relu(s.bn3(s.fc1(torch.flatten(x, 1)))))
        return F.log_softmax(s.fc2(x), dim=1)

model = MnistCnn(); model.load_state_dict(torch.load(sys.argv[1])); model.eval()
tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
test = torch.utils.data.DataLoader(datasets.MNIST(sys.argv[2], train=False, transform=tf), batch_size=1000)
with torch.no_grad():
    correct = sum((model(x).argmax(1) == y).sum().item() for x, y in test)
print(f"pytorch reads the project's mnist.pt: test_acc={correct / 100:.2f}%")
