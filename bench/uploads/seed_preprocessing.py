"""The seed's own preprocessing on the bench's generated uploads: what ../shared/peer/seed_app.py does to a file
(PIL's open and convert("L")), plus the resize to 28x28 the seed lacks (without it every upload not already 28x28
is an HTTP 500), then ToTensor and MNIST's normalisation, classified by the same model file the project serves.
Prints one line per family: family, right, total.
usage: seed_preprocessing.py OUT_DIR MODEL.pt"""
import os, sys, torch
from PIL import Image
from torchvision import transforms
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import project_cnn

out, model = sys.argv[1], project_cnn.load(sys.argv[2])
torch.set_num_threads(1)
tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
families = {}
for line in open(os.path.join(out, "labels.tsv")):
    family, name, label = line.rstrip("\n").split("\t")
    families.setdefault(family, []).append((name, int(label)))
for family, files in families.items():
    inputs = [tf(Image.open(os.path.join(out, name)).convert("L").resize((28, 28))) for name, _ in files]
    with torch.no_grad():
        predicted = model(torch.stack(inputs)).argmax(1).tolist()
    right = sum(p == label for p, (_, label) in zip(predicted, files))
    print(f"{family}\t{right}\t{len(files)}")
