"""The project's CNN (Model/Networks/MnistCnn.cs) defined in PyTorch, so Python can load this project's mnist.pt
(a plain state_dict): used by bench/train (proof that torch.load reads it) and bench/uploads (the same model behind
the seed's preprocessing)."""
import torch.nn as nn, torch.nn.functional as F, torch


class MnistCnn(nn.Module):
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


def load(path):
    model = MnistCnn(); model.load_state_dict(torch.load(path)); model.eval()
    return model
